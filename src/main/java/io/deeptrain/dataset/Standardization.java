package io.deeptrain.dataset;

import java.util.List;

/**
 * Per-feature standardisation {@code (x - mean) / std}, fitted on the training split only and
 * stored with the model so inference applies exactly the same transform.
 */
public record Standardization(List<Double> mean, List<Double> std) {

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
}
