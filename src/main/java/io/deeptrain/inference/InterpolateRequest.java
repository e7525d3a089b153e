package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;

/** Two images whose codes are interpolated. */
@Schema(
    name = "InterpolateRequest",
    description =
        "Walk the VAE's latent space in a straight line from one image's code to another's.")
record InterpolateRequest(
    @Schema(description = "Base64 PNG/JPEG, the first image.") String from,
    @Schema(description = "Base64 PNG/JPEG, the last image.") String to,
    @Schema(description = "Images in the strip, both ends included, 2 to 64.", defaultValue = "8")
        Integer steps) {}
