package io.deeptrain.spec;

/** How a convolution or pooling window treats the border, as in Keras. */
public enum Padding {
  /** Zero-pad so the output is ceil(input / stride): nothing at the border is lost. */
  SAME,
  /** No padding: only whole windows, floor((input - kernel) / stride) + 1. */
  VALID
}
