package io.deeptrain.model;

import io.deeptrain.dataset.Standardization;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A model version as the API shows it. */
public record ModelView(
    UUID id,
    @Schema(
            description =
                "The name of the job that trained it, or given at upload; versions count per name.")
        String name,
    int version,
    UUID jobId,
    String dataset,
    ModelSpec spec,
    TrainingSpec training,
    @Schema(description = "Class names in output order.") List<String> labels,
    @Schema(description = "Shape of one input, e.g. [4] for iris.") List<Integer> inputShape,
    @Schema(description = "Standardisation fitted on the training split, applied at inference.")
        Standardization normalization,
    @Schema(description = "Final metrics of the training run.") Map<String, Double> metrics,
    Instant createdAt,
    @Schema(
            description =
                "JOB: trained here; UPLOAD: an uploaded DL4J zip; KERAS: an imported Keras .h5"
                    + " (uploads have no dataset, spec or training).")
        ModelSource source,
    @Schema(description = "Aliases pointing at this version, 'latest' for the highest one.")
        List<String> aliases) {

  static ModelView from(ModelVersion v, List<String> aliases) {
    return new ModelView(
        v.id(),
        v.name(),
        v.version(),
        v.jobId(),
        v.dataset(),
        v.spec(),
        v.training(),
        v.labels(),
        v.inputShape(),
        v.normalization(),
        v.metrics(),
        v.createdAt(),
        v.source(),
        aliases == null ? List.of() : aliases);
  }
}
