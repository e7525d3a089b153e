package io.deeptrain.sweep;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** One row of a sweep's leaderboard. */
public record TrialView(
    @Schema(description = "Trial number, from 1, in the order the trials were planned.") int trial,
    TrialStatus status,
    @Schema(
            description = "The value of each parameter in this trial, by path.",
            implementation = Object.class,
            example = "{\"training.learningRate\": 0.01, \"training.optimizer\": \"ADAM\"}")
        Map<String, JsonNode> parameters,
    @Schema(description = "The child job, once the trial is released to the queue.") UUID jobId,
    @Schema(
            description =
                "Last recorded value of the objective metric (also for failed or cancelled"
                    + " trials that recorded one); null when none, or not a number.")
        Double objective,
    @Schema(description = "The model the child job registered, once SUCCEEDED.") UUID modelId,
    int epochsDone,
    int epochsTotal,
    @Schema(description = "Why the trial failed or was cancelled.") String error) {

  static TrialView from(SweepRepository.TrialRow row, Map<String, JsonNode> parameters) {
    return new TrialView(
        row.trial(),
        status(row),
        parameters,
        row.jobId(),
        row.objective() == null || !Double.isFinite(row.objective()) ? null : row.objective(),
        row.modelId(),
        row.epochsDone() == null ? 0 : row.epochsDone(),
        row.epochsTotal() == null ? 0 : row.epochsTotal(),
        row.error());
  }

  private static TrialStatus status(SweepRepository.TrialRow row) {
    return switch (row.trialStatus()) {
      case "PENDING" -> TrialStatus.PENDING;
      case "CANCELLED" -> TrialStatus.CANCELLED;
      case "RELEASED" ->
          row.jobStatus() == null ? TrialStatus.FAILED : TrialStatus.valueOf(row.jobStatus());
      default -> TrialStatus.FAILED;
    };
  }
}
