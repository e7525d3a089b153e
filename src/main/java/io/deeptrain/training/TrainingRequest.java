package io.deeptrain.training;

import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import java.util.UUID;

/** What a worker asks the trainer to do for one job. {@code training} is already resolved. */
public record TrainingRequest(UUID jobId, String dataset, ModelSpec spec, TrainingSpec training) {}
