package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One prediction per instance, in request order. */
public record ClassifyResponse(UUID modelId, List<Prediction> predictions) {

  /** The most probable label, its probability, and every class's probability. */
  public record Prediction(
      String label,
      double probability,
      @Schema(description = "Probability of each class, in the model's label order.")
          Map<String, Double> probabilities) {}
}
