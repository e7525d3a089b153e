package io.deeptrain.inference;

import io.deeptrain.model.ModelRefs;
import io.deeptrain.model.ModelRegistry;
import io.deeptrain.system.OwnRequestBodyLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@OwnRequestBodyLimit
@RequestMapping("/api/v1/models")
@Tag(name = "Generative models")
class SamplingController {

  private final DiffusionSampling sampling;
  private final ModelRegistry models;
  private final InferenceLatency latency;

  SamplingController(DiffusionSampling sampling, ModelRegistry models, InferenceLatency latency) {
    this.sampling = sampling;
    this.models = models;
    this.latency = latency;
  }

  @PostMapping(
      value = "/{ref}/sample",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Sample images from a diffusion model",
      description =
          "Runs the DDIM (deterministic, default) or DDPM (ancestral) sampler for `steps` steps"
              + " from seeded noise: the same seed gives the same images; fewer steps are faster"
              + " and rougher. Returns the PNG grid, each image and optionally the pixels and the"
              + " first image's denoising trajectory. With `Accept: image/png` the grid alone."
              + " Other generative models (VAE, GAN) generate with /generate.")
  SampleResponse sample(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody(required = false) SampleRequest request) {
    UUID id = models.resolveId(ref);
    DiffusionSampling.Result result =
        latency.time(id, "sample", () -> sampling.sample(id, request));
    try {
      return result.response(request != null && Boolean.TRUE.equals(request.raw()));
    } finally {
      close(result);
    }
  }

  @PostMapping(
      value = "/{ref}/sample",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(summary = "Sample images from a diffusion model, as one PNG grid")
  byte[] samplePng(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody(required = false) SampleRequest request) {
    UUID id = models.resolveId(ref);
    DiffusionSampling.Result result =
        latency.time(id, "sample", () -> sampling.sample(id, request));
    try {
      return result.grid();
    } finally {
      close(result);
    }
  }

  private static void close(DiffusionSampling.Result result) {
    DiffusionSampling.close(result.samples().images());
    DiffusionSampling.close(result.samples().trajectory());
  }
}
