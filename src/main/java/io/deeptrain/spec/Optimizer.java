package io.deeptrain.spec;

/** Gradient-descent variants; each reads the hyperparameters of {@link TrainingSpec} it needs. */
public enum Optimizer {
  /** Plain stochastic gradient descent. */
  SGD,
  /** SGD with (heavy-ball) momentum; uses {@code momentum}. */
  MOMENTUM,
  /** Nesterov accelerated gradient; uses {@code momentum}. */
  NESTEROV,
  /** Adam; uses {@code beta1}, {@code beta2}, {@code epsilon}. */
  ADAM,
  /** Adam with Nesterov momentum; uses {@code beta1}, {@code beta2}, {@code epsilon}. */
  NADAM,
  /**
   * Adam whose second moment never decreases; uses {@code beta1}, {@code beta2}, {@code epsilon}.
   */
  AMSGRAD,
  /** AdaMax; uses {@code beta1}, {@code beta2}, {@code epsilon}. */
  ADAMAX,
  /** RMSProp; uses {@code rho} (decay) and {@code epsilon}. */
  RMSPROP,
  /** AdaDelta; uses {@code rho} and {@code epsilon}; ignores the learning rate. */
  ADADELTA,
  /** AdaGrad; uses {@code epsilon}. */
  ADAGRAD,
  /**
   * Adaptive SGD-G2 (Ayadi and Turinici, arXiv:2002.09304): plain SGD whose step size adapts to the
   * curvature measured with a second gradient on the same mini-batch; {@code learningRate} is the
   * initial step, a {@code schedule} caps it.
   */
  SGD_G2
}
