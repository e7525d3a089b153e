package io.deeptrain.inference;

import io.deeptrain.generative.ImageGrids;
import io.deeptrain.model.ModelRefs;
import io.deeptrain.model.ModelRegistry;
import io.deeptrain.system.OwnRequestBodyLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Base64;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Generative models' endpoints. Each answers JSON, or with {@code Accept: image/png} the picture a
 * person looks at.
 */
@RestController
@OwnRequestBodyLimit
@RequestMapping("/api/v1/models")
@Tag(
    name = "Generative models",
    description = "Sample, generate, reconstruct, interpolate and inpaint images")
class GenerativeController {

  static final String SEED_HEADER = "X-Seed";

  private final GenerativeInference inference;
  private final ModelRegistry models;
  private final InferenceLatency latency;

  GenerativeController(
      GenerativeInference inference, ModelRegistry models, InferenceLatency latency) {
    this.inference = inference;
    this.models = models;
    this.latency = latency;
  }

  @PostMapping(
      value = "/{ref}/generate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Generate images with a VAE, GAN or diffusion model",
      description =
          "`n` images (1 to 256) from noise drawn from `seed` (random when unset; echoed in the"
              + " X-Seed header): the same seed gives the same images. With `Accept: image/png`"
              + " the answer is the grid alone.")
  ResponseEntity<GeneratedImages> generate(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody(required = false) GenerateRequest request) {
    UUID id = models.resolveId(ref);
    GenerativeInference.Generated g =
        latency.time(id, "generate", () -> inference.generate(id, request));
    boolean raw = request != null && Boolean.TRUE.equals(request.raw());
    try (INDArray images = g.images()) {
      return ResponseEntity.ok()
          .header(SEED_HEADER, Long.toString(g.seed()))
          .body(GeneratedImages.of(id, images, ImageGrids.squareGrid(images), raw));
    }
  }

  @PostMapping(
      value = "/{ref}/generate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.IMAGE_PNG_VALUE)
  ResponseEntity<byte[]> generatePng(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody(required = false) GenerateRequest request) {
    UUID id = models.resolveId(ref);
    GenerativeInference.Generated g =
        latency.time(id, "generate", () -> inference.generate(id, request));
    try (INDArray images = g.images()) {
      return png(ImageGrids.squareGrid(images), g.seed());
    }
  }

  @PostMapping(
      value = "/{ref}/reconstruct",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Pass images through a VAE",
      description =
          "Each base64 PNG/JPEG is converted to the model's input, encoded to its mean code and"
              + " decoded. VAE models only. With `Accept: image/png` the answer is the two-row grid"
              + " (originals above, reconstructions below).")
  ReconstructResponse reconstruct(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody ReconstructRequest request) {
    UUID id = models.resolveId(ref);
    return latency.time(id, "reconstruct", () -> inference.reconstruct(id, request));
  }

  @PostMapping(
      value = "/{ref}/reconstruct",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.IMAGE_PNG_VALUE)
  ResponseEntity<byte[]> reconstructPng(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody ReconstructRequest request) {
    UUID id = models.resolveId(ref);
    return png(
        Base64.getDecoder()
            .decode(
                latency.time(id, "reconstruct", () -> inference.reconstruct(id, request)).grid()),
        null);
  }

  @PostMapping(
      value = "/{ref}/interpolate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Morph one image into another through a VAE's latent space",
      description =
          "Encodes both images, decodes `steps` codes (2 to 64) evenly spaced on the line between"
              + " them. VAE models only. With `Accept: image/png` the answer is the strip.")
  GeneratedImages interpolate(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody InterpolateRequest request) {
    UUID id = models.resolveId(ref);
    try (INDArray images =
        latency.time(id, "interpolate", () -> inference.interpolate(id, request))) {
      return GeneratedImages.of(id, images, ImageGrids.strip(images), false);
    }
  }

  @PostMapping(
      value = "/{ref}/interpolate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.IMAGE_PNG_VALUE)
  ResponseEntity<byte[]> interpolatePng(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody InterpolateRequest request) {
    UUID id = models.resolveId(ref);
    try (INDArray images =
        latency.time(id, "interpolate", () -> inference.interpolate(id, request))) {
      return png(ImageGrids.strip(images), null);
    }
  }

  @GetMapping(value = "/{ref}/latent", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Map of a VAE's latent space",
      description =
          "The first `limit` images of the model's dataset's test split, encoded to their mean"
              + " codes: the first two latent dimensions with each image's label. With `Accept:"
              + " image/png` a scatter plot coloured by label. VAE models only.")
  LatentResponse latent(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @Parameter(description = "Test images to encode, 1 to 10000 (default 2000)")
          @RequestParam(required = false)
          Integer limit) {
    UUID id = models.resolveId(ref);
    return latency.time(id, "latent", () -> inference.latent(id, limit));
  }

  @GetMapping(value = "/{ref}/latent", produces = MediaType.IMAGE_PNG_VALUE)
  ResponseEntity<byte[]> latentPng(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestParam(required = false) Integer limit) {
    UUID id = models.resolveId(ref);
    return png(
        LatentScatterPlot.render(latency.time(id, "latent", () -> inference.latent(id, limit))),
        null);
  }

  @PostMapping(
      value = "/{ref}/inpaint",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Fill in erased pixels of an image",
      description =
          "Send the image and either `mask` (a PNG whose non-zero pixels are erased) or `erased`"
              + " ([row, column] pairs). Known pixels are kept exactly; the model fills in the"
              + " rest, the same way for the same seed. Any model that can inpaint (VAE, diffusion)."
              + " With `Accept: image/png` the answer is the completed image.")
  InpaintResponse inpaint(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody InpaintRequest request) {
    UUID id = models.resolveId(ref);
    GenerativeInference.Inpainted r =
        latency.time(id, "inpaint", () -> inference.inpaint(id, request));
    Base64.Encoder b64 = Base64.getEncoder();
    try (INDArray original = r.original();
        INDArray masked = r.masked();
        INDArray completed = r.completed()) {
      return new InpaintResponse(
          id,
          r.seed(),
          r.erased(),
          b64.encodeToString(ImageGrids.png(original)),
          b64.encodeToString(ImageGrids.png(masked)),
          b64.encodeToString(ImageGrids.png(completed)));
    }
  }

  @PostMapping(
      value = "/{ref}/inpaint",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.IMAGE_PNG_VALUE)
  ResponseEntity<byte[]> inpaintPng(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody InpaintRequest request) {
    UUID id = models.resolveId(ref);
    GenerativeInference.Inpainted r =
        latency.time(id, "inpaint", () -> inference.inpaint(id, request));
    try (INDArray original = r.original();
        INDArray masked = r.masked();
        INDArray completed = r.completed()) {
      return png(ImageGrids.png(completed), r.seed());
    }
  }

  private static ResponseEntity<byte[]> png(byte[] bytes, Long seed) {
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(MediaType.IMAGE_PNG);
    if (seed != null) {
      ok.header(SEED_HEADER, Long.toString(seed));
    }
    return ok.body(bytes);
  }
}
