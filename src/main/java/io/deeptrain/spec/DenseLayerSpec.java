package io.deeptrain.spec;

import io.swagger.v3.oas.annotations.media.Schema;

/** A fully connected layer. */
@Schema(description = "A fully connected hidden layer.")
public record DenseLayerSpec(
    @Schema(description = "Number of units, 1 to 65536.", example = "32") Integer units,
    @Schema(description = "Activation function.", defaultValue = "RELU") Activation activation) {

  public Activation activationOrDefault() {
    return activation == null ? Activation.RELU : activation;
  }
}
