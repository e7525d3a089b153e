package io.deeptrain.sweep;

import io.swagger.v3.oas.annotations.media.Schema;

/** The metric a sweep ranks its trials by, and whether more is better. */
@Schema(description = "The metric that ranks trials: its last recorded value per trial.")
public record Objective(
    @Schema(
            description = "A metric name as in GET /api/v1/jobs/{id}/metrics.",
            defaultValue = "test_accuracy")
        String metric,
    @Schema(
            description = "MAX or MIN; default MIN for a metric named *loss, MAX otherwise.",
            defaultValue = "MAX")
        Mode mode) {

  public static final String DEFAULT_METRIC = "test_accuracy";

  /** Whether larger values are better. */
  public enum Mode {
    MAX,
    MIN
  }
}
