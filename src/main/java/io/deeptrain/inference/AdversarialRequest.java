package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One input to attack with the fast gradient sign method, and how hard. */
@Schema(example = "{\"image\":\"iVBORw0KGgo...\",\"epsilon\":0.1}")
public record AdversarialRequest(
    @Schema(description = "Base64 PNG or JPEG, for image models (converted like /classify).")
        String image,
    @Schema(
            description =
                "The input as numbers instead of an image: C*H*W pixel values in [0, 1]"
                    + " (channel-major) for an image model, raw feature values for a tabular one.")
        List<Double> instance,
    @Schema(
            description =
                "Step size: every pixel moves by at most this much (in [0, 1] pixel units); for a"
                    + " tabular model, in standard deviations of each feature. > 0 and <= 1.",
            defaultValue = "0.1")
        Double epsilon,
    @Schema(
            description =
                "The true label whose loss the attack increases: a class name or index. Default:"
                    + " the class the model predicts for the input.")
        String label) {}
