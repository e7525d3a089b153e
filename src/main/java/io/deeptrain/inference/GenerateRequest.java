package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;

/** How many images to generate, from which seed. */
@Schema(
    name = "GenerateRequest",
    description = "Generate images with a VAE, GAN or diffusion model; every field is optional.")
record GenerateRequest(
    @Schema(description = "Number of images, 1 to 256.", defaultValue = "16") Integer n,
    @Schema(
            description =
                "Seed of the noise: the same seed gives the same images. Unset: a random seed,"
                    + " echoed in the X-Seed response header.")
        Long seed,
    @Schema(description = "Also return each image's pixels in [0, 1].", defaultValue = "false")
        Boolean raw) {}
