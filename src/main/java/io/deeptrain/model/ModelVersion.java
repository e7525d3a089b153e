package io.deeptrain.model;

import io.deeptrain.dataset.Standardization;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A registered model version, as other features read it. Uploaded models (source UPLOAD or KERAS)
 * have no dataset, spec, training or normalization.
 *
 * @param datasetSha256 SHA-256 of the training dataset's content, when known
 * @param libraryVersions DL4J/ND4J version, backend, Java and deeptrain version at registration
 */
public record ModelVersion(
    UUID id,
    String name,
    int version,
    UUID jobId,
    String dataset,
    ModelSpec spec,
    TrainingSpec training,
    List<String> labels,
    List<Integer> inputShape,
    Standardization normalization,
    Map<String, Double> metrics,
    List<List<Integer>> confusion,
    UUID artifactId,
    Instant createdAt,
    ModelSource source,
    String datasetSha256,
    Map<String, String> libraryVersions) {}
