package io.deeptrain.inference;

import io.deeptrain.generative.DiffusionModel;
import io.swagger.v3.oas.annotations.media.Schema;

/** A diffusion model's samples, with how they were drawn so a person can draw them again. */
@Schema(name = "SampleResponse")
public record SampleResponse(
    GeneratedImages images,
    @Schema(
            description =
                "Only with returnIntermediate=true: the first image's trajectory, x_t from pure"
                    + " noise to the result, as one PNG strip, base64.")
        String trajectory,
    DiffusionModel.Sampler sampler,
    @Schema(description = "Denoising steps taken.") int steps,
    @Schema(description = "The seed used; send it again for the same images.") long seed) {}
