package io.deeptrain.model;

import io.deeptrain.dataset.Standardization;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A registered model version, as other features read it. */
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
    Instant createdAt) {}
