package io.deeptrain.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One prediction per input, in request order. */
public record ClassifyResponse(UUID modelId, List<Prediction> predictions) {

  /** The most probable label, its probability, the top k, and every class's probability. */
  public record Prediction(
      @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(description = "The file name of an uploaded image, when it had one.")
          String input,
      String label,
      double probability,
      @Schema(description = "The k most probable labels, most probable first.") List<Ranked> top,
      @Schema(description = "Probability of each class, in the model's label order.")
          Map<String, Double> probabilities) {}

  /** A label and its probability. */
  public record Ranked(String label, double probability) {}
}
