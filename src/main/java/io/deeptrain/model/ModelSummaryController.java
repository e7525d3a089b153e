package io.deeptrain.model;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Models")
class ModelSummaryController {

  private final ModelSummaries summaries;
  private final ModelRegistry registry;

  ModelSummaryController(ModelSummaries summaries, ModelRegistry registry) {
    this.summaries = summaries;
    this.registry = registry;
  }

  @PostMapping("/api/v1/specs/summary")
  @Operation(
      summary = "Layers, output shapes and parameter counts of a spec, without training",
      description =
          "On a dataset's input or on inputShape and classes. 400 for a bad spec, 422 when a layer"
              + " cannot work on that input (the problem names the layer).")
  ModelSummary summarise(@RequestBody SummaryRequest request) {
    return summaries.of(request);
  }

  @GetMapping("/api/v1/models/{ref}/summary")
  @Operation(
      summary = "Layers, output shapes and parameter counts of a registered model",
      description = "409 for an uploaded model: it has no spec (its card counts its parameters).")
  ModelSummary summary(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref) {
    return summaries.of(registry.resolve(ref).id());
  }
}
