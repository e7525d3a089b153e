package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;

/** The image, what the model was shown, and its completion. */
@Schema(
    name = "InpaintResponse",
    description =
        "Base64 PNGs: the original (in the model's size), the masked input (erased pixels grey)"
            + " and the completion (known pixels kept exactly).")
record InpaintResponse(
    UUID modelId,
    long seed,
    @Schema(description = "Pixels filled in (per channel plane).") int erasedPixels,
    String original,
    String masked,
    String completed) {}
