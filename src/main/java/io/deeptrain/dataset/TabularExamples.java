package io.deeptrain.dataset;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Standardised tabular rows as one flat float array. */
final class TabularExamples implements Examples {

  private final float[] values;
  private final int[] labels;
  private final int features;

  TabularExamples(double[][] rows, int[] labels) {
    this.features = rows.length == 0 ? 0 : rows[0].length;
    this.values = new float[rows.length * features];
    for (int r = 0; r < rows.length; r++) {
      for (int f = 0; f < features; f++) {
        values[r * features + f] = (float) rows[r][f];
      }
    }
    this.labels = labels;
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public List<Integer> shape() {
    return List.of(features);
  }

  @Override
  public int[] labels() {
    return labels;
  }

  @Override
  public INDArray features(int[] rows) {
    float[] out = new float[rows.length * features];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(values, rows[i] * features, out, i * features, features);
    }
    return Nd4j.create(out, new long[] {rows.length, features}, 'c');
  }
}
