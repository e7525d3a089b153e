package io.deeptrain.model;

import io.deeptrain.dataset.Standardization;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What is registered as version n+1 of a name: a finished job's model (source JOB, named after the
 * job), or an uploaded one (no job, dataset, spec or training). The registry adds the dataset's
 * content hash and the library versions.
 */
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
    List<List<Integer>> confusion,
    ModelSource source) {}
