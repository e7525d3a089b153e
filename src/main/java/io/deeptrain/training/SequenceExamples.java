package io.deeptrain.training;

import io.deeptrain.dataset.Examples;
import io.deeptrain.model.LstmBuilder;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Images read as sequences for an LSTM (ROWS_AS_SEQUENCE): [c, h, w] becomes DL4J's recurrent
 * layout [c*w features, h steps], batch by batch. Labels stay class indices. No data is copied.
 */
final class SequenceExamples implements Examples {

  private final Examples images;

  SequenceExamples(Examples images) {
    if (images.shape().size() != 3) {
      throw new IllegalArgumentException("rows as sequence needs images, got " + images.shape());
    }
    this.images = images;
  }

  @Override
  public int size() {
    return images.size();
  }

  /** [features, steps], as {@link #features} lays each example out. */
  @Override
  public List<Integer> shape() {
    List<Integer> s = images.shape();
    return List.of(s.get(0) * s.get(2), s.get(1));
  }

  @Override
  public int[] labels() {
    return images.labels();
  }

  @Override
  public INDArray features(int[] rows) {
    try (INDArray x = images.features(rows)) {
      return LstmBuilder.rowsAsSequence(x);
    }
  }
}
