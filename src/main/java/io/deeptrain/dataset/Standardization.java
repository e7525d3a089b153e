package io.deeptrain.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-feature standardisation {@code (x - mean) / std}, fitted on the training split only and
 * stored with the model so inference applies exactly the same transform.
 */
public record Standardization(List<Double> mean, List<Double> std) {

  /** Below this a feature is treated as constant: dividing by ~0 would blow it up. */
  static final double MIN_STD = 1e-12;

  public int features() {
    return mean.size();
  }

  /** Standardises one row in place and returns it. */
  public double[] apply(double[] row) {
    for (int i = 0; i < row.length; i++) {
      row[i] = (row[i] - mean.get(i)) / std.get(i);
    }
    return row;
  }

  /**
   * Fits mean and (population) standard deviation on the given rows; a constant feature gets std 1
   * so it maps to 0 instead of NaN.
   */
  static Standardization fit(double[][] rows) {
    int features = rows[0].length;
    List<Double> mean = new ArrayList<>(features);
    List<Double> std = new ArrayList<>(features);
    for (int f = 0; f < features; f++) {
      double sum = 0;
      for (double[] row : rows) {
        sum += row[f];
      }
      double m = sum / rows.length;
      double squares = 0;
      for (double[] row : rows) {
        squares += (row[f] - m) * (row[f] - m);
      }
      double s = Math.sqrt(squares / rows.length);
      mean.add(m);
      std.add(s < MIN_STD ? 1.0 : s);
    }
    return new Standardization(List.copyOf(mean), List.copyOf(std));
  }
}
