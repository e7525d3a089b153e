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
  /** AdaMax; uses {@code beta1}, {@code beta2}, {@code epsilon}. */
  ADAMAX,
  /** RMSProp; uses {@code rho} (decay) and {@code epsilon}. */
  RMSPROP,
  /** AdaDelta; uses {@code rho} and {@code epsilon}; ignores the learning rate. */
  ADADELTA,
  /** AdaGrad; uses {@code epsilon}. */
  ADAGRAD
}
