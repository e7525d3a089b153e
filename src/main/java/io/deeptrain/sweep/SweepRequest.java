package io.deeptrain.sweep;

import io.deeptrain.job.SubmitJobRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;

/** A hyperparameter sweep to run: a base job and the parameters to vary over its trials. */
@Schema(
    description =
        "A sweep: the base job, the parameters to vary (JSON paths into the base job), how to"
            + " search, how many trials run at once and what to optimise.",
    example =
        """
        {
          "name": "iris-lr-opt",
          "base": {"dataset": "iris",
                   "spec": {"type": "MLP", "layers": [{"units": 16, "activation": "RELU"}]},
                   "training": {"epochs": 30, "batchSize": 16, "seed": 42}},
          "parameters": {"training.learningRate": {"values": [0.001, 0.01, 0.1]},
                         "training.optimizer": {"values": ["ADAM", "SGD"]}},
          "search": "GRID",
          "maxParallel": 2,
          "objective": {"metric": "test_accuracy", "mode": "MAX"}
        }""")
public record SweepRequest(
    @Schema(description = "A name for the sweep (default: the base job's name, or sweep-dataset).")
        String name,
    @Schema(
            description =
                "The job every trial starts from; a trial sets its parameters in it and is"
                    + " validated exactly as POST /api/v1/jobs would.",
            requiredMode = Schema.RequiredMode.REQUIRED)
        SubmitJobRequest base,
    @Schema(
            description =
                "Parameters by JSON path into the base job, e.g. training.learningRate,"
                    + " training.optimizer, spec.layers[0].units; 1 to 16.",
            requiredMode = Schema.RequiredMode.REQUIRED)
        LinkedHashMap<String, SweepParameter> parameters,
    @Schema(
            description = "GRID: every combination of the values; RANDOM: `trials` random draws.",
            defaultValue = "GRID")
        Search search,
    @Schema(description = "Number of trials for RANDOM (1 to 256); not allowed for GRID.")
        Integer trials,
    @Schema(
            description = "At most this many trials are queued or running at once, 1 to 64.",
            defaultValue = "1")
        Integer maxParallel,
    @Schema(description = "What the leaderboard ranks by (default: test_accuracy, MAX).")
        Objective objective,
    @Schema(
            description =
                "Seed of the random search: the same seed gives the same trials (default: drawn"
                    + " at random and shown in the response).")
        Long seed) {

  /** How the trials are chosen. */
  public enum Search {
    GRID,
    RANDOM
  }
}
