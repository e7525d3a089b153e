package io.deeptrain.job;

import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;

/** A training job to queue. */
@Schema(
    description = "A training job: which dataset, which architecture, how to train.",
    example =
        """
        {
          "name": "iris-mlp",
          "dataset": "iris",
          "spec": {"type": "MLP", "layers": [{"units": 16, "activation": "RELU"}, {"units": 16, "activation": "RELU"}]},
          "training": {"epochs": 60, "batchSize": 16, "optimizer": "ADAM", "learningRate": 0.01, "seed": 42}
        }""")
public record SubmitJobRequest(
    @Schema(description = "A name for the job and the model it registers (default: type-dataset).")
        String name,
    @Schema(
            description = "Dataset name, see GET /api/v1/datasets.",
            example = "iris",
            requiredMode = Schema.RequiredMode.REQUIRED)
        String dataset,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ModelSpec spec,
    TrainingSpec training,
    @Schema(
            description = "Higher runs first; FIFO within a priority. -1000 to 1000.",
            defaultValue = "0")
        Integer priority,
    @Schema(
            description =
                "Seconds one attempt may run (default deeptrain.jobs.default-timeout, at most"
                    + " deeptrain.jobs.max-timeout). A run past it stops at its next iteration and"
                    + " ends FAILED with its checkpoint kept, so POST .../resume continues it.",
            example = "1800")
        Integer timeout,
    @Schema(
            description =
                "Device kind the job must train on; a kind this deployment does not have is a 422"
                    + " at submit (it would wait forever).",
            defaultValue = "ANY")
        DeviceKind device) {

  /** The device kind a job asks for. */
  public enum DeviceKind {
    CPU,
    GPU,
    ANY
  }
}
