package io.deeptrain.inference;

import io.deeptrain.model.ModelRefs;
import io.deeptrain.model.ModelRegistry;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.OwnRequestBodyLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@OwnRequestBodyLimit
@RequestMapping("/api/v1/models")
@Tag(name = "Inference", description = "Use a trained model")
class InferenceController {

  private final Classifier classifier;
  private final Completer completer;
  private final Forecaster forecaster;
  private final AdversarialExamples adversarial;
  private final ModelRegistry models;
  private final InferenceLatency latency;

  InferenceController(
      Classifier classifier,
      Completer completer,
      Forecaster forecaster,
      AdversarialExamples adversarial,
      ModelRegistry models,
      InferenceLatency latency) {
    this.models = models;
    this.latency = latency;
    this.classifier = classifier;
    this.completer = completer;
    this.forecaster = forecaster;
    this.adversarial = adversarial;
  }

  @PostMapping(
      value = "/{ref}/adversarial",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Make an adversarial example (FGSM) for an image or tabular classifier",
      description =
          "Moves every input value by epsilon in the direction that most increases the loss of"
              + " `label` (default: the predicted class), clips pixels to [0, 1], and classifies"
              + " the result: returns both predictions, whether the model was fooled, the"
              + " perturbed image and the (scaled) perturbation as base64 PNG. Ask for"
              + " `Accept: image/png` to get a strip [original | perturbation | adversarial].")
  AdversarialResponse adversarial(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody AdversarialRequest request) {
    UUID id = models.resolveId(ref);
    return latency.time(id, "adversarial", () -> adversarial.json(id, request));
  }

  @PostMapping(
      value = "/{ref}/adversarial",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(
      summary = "An adversarial example (FGSM) as a PNG strip",
      description = "[original | perturbation (mid-grey: no change) | adversarial], left to right.")
  byte[] adversarialPng(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody AdversarialRequest request) {
    UUID id = models.resolveId(ref);
    return latency.time(id, "adversarial", () -> adversarial.png(id, request));
  }

  @PostMapping(value = "/{ref}/forecast", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Forecast the next values of a time series",
      description =
          "Send the recent rows (every column, raw values, oldest first); returns the last"
              + " column's next `horizon` values in the data's own units.")
  ForecastResponse forecast(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody ForecastRequest request) {
    UUID id = models.resolveId(ref);
    return latency.time(id, "forecast", () -> forecaster.forecast(id, request));
  }

  @PostMapping(value = "/{ref}/complete", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Continue a prompt with a character-level language model",
      description =
          "Samples `length` characters after the prompt, one at a time, at the given temperature"
              + " (optionally among the topK most probable). The same seed gives the same text."
              + " Characters outside the model's vocabulary are a 400 listing them.")
  CompleteResponse complete(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody CompleteRequest request) {
    UUID id = models.resolveId(ref);
    return latency.time(id, "complete", () -> completer.complete(id, request));
  }

  @PostMapping(value = "/{ref}/classify", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Classify rows of features or base64 images",
      description =
          "Tabular models: raw feature values in the dataset's column order; the model applies the"
              + " standardisation fitted in training. Image models: `images` as base64 PNG/JPEG"
              + " (converted to the model's size and scaled like the training data) or `instances`"
              + " as C*H*W pixel values in [0, 1]. Returns the label, its probability, the top k and"
              + " all class probabilities per input.")
  ClassifyResponse classify(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestBody ClassifyRequest request) {
    UUID id = models.resolveId(ref);
    return latency.time(id, "classify", () -> classifier.classify(id, request));
  }

  @PostMapping(value = "/{ref}/classify", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(
      summary = "Classify uploaded PNG/JPEG images",
      description =
          "One or more `file` parts; each is converted to the model's input size, resized if"
              + " needed. A colour image for a grayscale model (or the reverse) and an undecodable"
              + " file are 400s naming the file.")
  ClassifyResponse classifyFiles(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref,
      @RequestPart("file") List<MultipartFile> files,
      @Parameter(description = "How many of the most probable labels to list (default 3)")
          @RequestParam(required = false)
          Integer topK) {
    UUID id = models.resolveId(ref);
    if (files == null || files.isEmpty()) {
      throw ApiException.invalid("file", "is required: one or more PNG or JPEG files");
    }
    List<Classifier.ImageInput> images = new ArrayList<>(files.size());
    for (MultipartFile f : files) {
      try {
        images.add(new Classifier.ImageInput(f.getOriginalFilename(), f.getBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return latency.time(id, "classify", () -> classifier.classifyImages(id, images, topK));
  }
}
