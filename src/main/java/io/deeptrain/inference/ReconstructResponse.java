package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/** Each image as the model saw it and as it came back through the latent code. */
@Schema(
    name = "ReconstructResponse",
    description =
        "Originals (converted to the model's input) and their reconstructions, each as base64 PNG,"
            + " with a grid: originals on the top row, reconstructions below.")
record ReconstructResponse(
    UUID modelId,
    @Schema(description = "[n, channels, height, width]") List<Integer> shape,
    @Schema(description = "Two-row PNG grid, base64: originals above, reconstructions below.")
        String grid,
    List<String> originals,
    List<String> reconstructions) {}
