package io.deeptrain.spec;

/** Activation functions a hidden layer may use. */
public enum Activation {
  RELU,
  LEAKYRELU,
  ELU,
  SELU,
  GELU,
  SWISH,
  TANH,
  SIGMOID,
  SOFTPLUS,
  IDENTITY
}
