package io.deeptrain.generative;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A generative model that can fill in the erased pixels of an image (conditional sampling). */
public interface Inpainter {

  /**
   * Completes {@code image} [1, c, h, w] (pixels in [0, 1]) where {@code known} [1, c, h, w] is 0;
   * pixels where it is 1 are kept exactly. The same seed gives the same completion.
   */
  INDArray inpaint(INDArray image, INDArray known, long seed);
}
