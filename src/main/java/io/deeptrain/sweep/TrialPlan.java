package io.deeptrain.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One trial of a sweep: the value each parameter takes, and where it came from ({@code valueIndex}
 * into the parameter's values, or null when drawn from a range) so that an error can name {@code
 * parameters['training.learningRate'].values[2]}.
 */
record TrialPlan(int number, Map<String, Choice> choices) {

  record Choice(JsonNode value, Integer valueIndex) {}

  /** Parameter path to value, in the sweep's parameter order. */
  Map<String, JsonNode> parameters() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    choices.forEach((path, choice) -> out.put(path, choice.value()));
    return out;
  }
}
