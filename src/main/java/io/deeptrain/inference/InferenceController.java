package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Inference", description = "Use a trained model")
class InferenceController {

  private final Classifier classifier;

  InferenceController(Classifier classifier) {
    this.classifier = classifier;
  }

  @PostMapping("/{id}/classify")
  @Operation(
      summary = "Classify rows of features",
      description =
          "Raw feature values in the dataset's column order; the model applies the normalisation"
              + " fitted during training. Returns the label, its probability and all class"
              + " probabilities per instance.")
  ClassifyResponse classify(@PathVariable UUID id, @RequestBody ClassifyRequest request) {
    return classifier.classify(id, request);
  }
}
