package io.deeptrain.model;

import io.deeptrain.dataset.Standardization;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a finished job registers: a version of the model named after the job. */
public record NewModelVersion(
    String name,
    UUID jobId,
    String dataset,
    ModelSpec spec,
    TrainingSpec training,
    byte[] artifact,
    String mediaType,
    List<String> labels,
    List<Integer> inputShape,
    Standardization normalization,
    Map<String, Double> metrics,
    List<List<Integer>> confusion) {}
