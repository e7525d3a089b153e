package io.deeptrain.inference;

import io.deeptrain.generative.DiffusionModel;
import io.swagger.v3.oas.annotations.media.Schema;

/** How many images a diffusion model should sample, and how. */
@Schema(example = "{\"n\":16,\"steps\":50,\"sampler\":\"DDIM\",\"seed\":1}")
public record SampleRequest(
    @Schema(description = "Images to sample, 1 to 256.", defaultValue = "16") Integer n,
    @Schema(
            description =
                "Denoising steps, 1 to the model's T. DDIM: evenly spaced timesteps, deterministic"
                    + " given the seed (20-50 suffice). DDPM: ancestral sampling; steps = T is the"
                    + " original chain, fewer respaces it (larger steps, same model).",
            defaultValue = "50")
        Integer steps,
    @Schema(description = "Sampler.", defaultValue = "DDIM") DiffusionModel.Sampler sampler,
    @Schema(description = "Random seed; the same seed gives the same images. Unset: random.")
        Long seed,
    @Schema(
            description =
                "Also return the first image's denoising trajectory (x_t from noise to the image,"
                    + " 10 frames) as a PNG strip.",
            defaultValue = "false")
        Boolean returnIntermediate,
    @Schema(description = "Also return each image's pixels in [0, 1].", defaultValue = "false")
        Boolean raw) {}
