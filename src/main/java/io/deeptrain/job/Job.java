package io.deeptrain.job;

import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One row of the {@code jobs} table. */
record Job(
    UUID id,
    String name,
    JobStatus status,
    int priority,
    String dataset,
    ModelSpec spec,
    TrainingSpec training,
    int attempt,
    int maxAttempts,
    String owner,
    Instant heartbeatAt,
    boolean cancelRequested,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String error,
    int epochsDone,
    int epochsTotal,
    UUID modelId,
    Integer resumedEpoch,
    Long resumedIteration,
    String stopReason,
    List<String> warnings,
    Integer timeoutSeconds,
    Instant notBefore,
    String submittedBy) {

  /** The time one attempt may run. */
  Duration timeout(JobProperties props) {
    return timeoutSeconds == null ? props.defaultTimeout() : Duration.ofSeconds(timeoutSeconds);
  }
}
