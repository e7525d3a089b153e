package io.deeptrain.training;

import io.deeptrain.dataset.Examples;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A view of some examples of a split (maxTrainExamples / maxTestExamples), optionally flattened to
 * rank 1 for an MLP trained on images. No data is copied.
 */
final class SubsetExamples implements Examples {

  private final Examples source;
  private final int[] rows;
  private final int[] labels;
  private final boolean flatten;

  private SubsetExamples(Examples source, int[] rows, boolean flatten) {
    this.source = source;
    this.rows = rows;
    this.flatten = flatten;
    this.labels = new int[rows.length];
    int[] all = source.labels();
    for (int i = 0; i < rows.length; i++) {
      labels[i] = all[rows[i]];
    }
  }

  /** The examples as the network wants them: at most {@code max}, flat when {@code flatten}. */
  static Examples of(Examples source, Integer max, long seed, boolean flatten) {
    boolean whole = max == null || max >= source.size();
    if (whole && !flatten) {
      return source;
    }
    int[] rows = whole ? identity(source.size()) : EpochOrder.sample(source.size(), max, seed);
    return new SubsetExamples(source, rows, flatten);
  }

  private static int[] identity(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  @Override
  public int size() {
    return rows.length;
  }

  @Override
  public List<Integer> shape() {
    return flatten ? List.of(source.shape().stream().reduce(1, (a, b) -> a * b)) : source.shape();
  }

  @Override
  public int[] labels() {
    return labels;
  }

  @Override
  public INDArray features(int[] indices) {
    int[] mapped = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      mapped[i] = rows[indices[i]];
    }
    INDArray x = source.features(mapped);
    if (!flatten || x.rank() == 2) {
      return x;
    }
    INDArray flat = x.reshape('c', indices.length, x.length() / indices.length);
    return flat;
  }
}
