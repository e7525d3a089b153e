package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained generative model in memory. Implementations hold a SameDiff graph, which serves one
 * call at a time: they synchronize on themselves.
 */
public interface GenerativeModel {

  /** The registered version this model was loaded from (null for a model still in training). */
  ModelVersion version();

  /** Shape of one image, [channels, height, width]. */
  List<Integer> imageShape();

  /**
   * {@code n} new images, shape [n, channels, height, width], pixels in [0, 1]. The same seed gives
   * the same images. The caller closes the array.
   */
  INDArray generate(int n, long seed);
}
