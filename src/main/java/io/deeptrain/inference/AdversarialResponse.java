package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/** What the model says about an input and about its adversarial twin. */
@Schema(
    description =
        "An adversarial example made with the fast gradient sign method: x + epsilon *"
            + " sign(gradient of the loss for `label`), clipped to [0, 1] for images.")
public record AdversarialResponse(
    UUID modelId,
    double epsilon,
    @Schema(description = "The label whose loss was increased (the true label).") String label,
    @Schema(description = "The model's top prediction for the input as sent.") Prediction original,
    @Schema(description = "The model's top prediction for the perturbed input.")
        Prediction adversarial,
    @Schema(
            description =
                "The input as sent was classified as `label` and the perturbed one is not.")
        boolean fooled,
    @Schema(description = "The perturbed image as base64 PNG; null for a tabular model.")
        String image,
    @Schema(
            description =
                "The perturbation as base64 PNG, scaled to be visible: mid-grey is no change,"
                    + " white +epsilon, black -epsilon; null for a tabular model.")
        String perturbation,
    @Schema(
            description =
                "The perturbed input as numbers: pixels in [0, 1] for an image model, raw feature"
                    + " values for a tabular one.")
        List<Double> instance) {

  /** A label and its probability. */
  public record Prediction(String label, double probability) {}
}
