package io.deeptrain.job;

import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as the API shows it. */
public record JobView(
    UUID id,
    String name,
    JobStatus status,
    int priority,
    String dataset,
    ModelSpec spec,
    @Schema(description = "The training configuration with every default filled in.")
        TrainingSpec training,
    Progress progress,
    @Schema(
            description =
                "Attempts so far (a job is retried, after a backoff, when the replica running it"
                    + " dies or a run fails for a cause outside its spec and data).")
        int attempt,
    int maxAttempts,
    @Schema(
            description =
                "True once a cancel was requested for a running job; it stops at the next iteration.")
        boolean cancelRequested,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    @Schema(description = "Why the job failed or was cancelled, in words a person can act on.")
        String error,
    @Schema(description = "The model version this job registered, once SUCCEEDED.") UUID modelId,
    @Schema(
            description =
                "The checkpoint the current attempt continued from (after a replica died, a"
                    + " restart or POST .../resume); null when it started from scratch.")
        ResumedFrom resumedFrom,
    @Schema(
            description =
                "Why a SUCCEEDED run ended: all epochs done, or early stopping (and which epoch's"
                    + " model was kept).")
        String stopReason,
    @Schema(
            description =
                "Warnings the run raised for a person to read with its results, e.g. a GAN whose"
                    + " samples lost diversity (mode collapse); the job went on.")
        List<String> warnings,
    @Schema(
            description =
                "Seconds one attempt may run, as submitted; null: the service default"
                    + " (deeptrain.jobs.default-timeout).")
        Integer timeout,
    @Schema(
            description =
                "When a QUEUED job that is waiting out a retry backoff (after a lost or failed"
                    + " attempt) may be claimed again; null when it may run now.")
        Instant nextAttemptAt,
    @Schema(
            description =
                "The API key that submitted the job (its name); null in open mode. Jobs of one key"
                    + " run at most deeptrain.jobs.max-running-per-key at once.")
        String submittedBy) {

  /** Epochs done of the total. */
  public record Progress(int epochsDone, int epochsTotal, double fraction) {}

  /** A checkpoint a run continued from: epochs finished and iterations trained by then. */
  public record ResumedFrom(int epoch, long iteration) {}

  static JobView from(Job job) {
    int total = Math.max(job.epochsTotal(), 1);
    return new JobView(
        job.id(),
        job.name(),
        job.status(),
        job.priority(),
        job.dataset(),
        job.spec(),
        job.training(),
        new Progress(
            job.epochsDone(), job.epochsTotal(), Math.min(1.0, job.epochsDone() / (double) total)),
        job.attempt(),
        job.maxAttempts(),
        job.cancelRequested(),
        job.createdAt(),
        job.startedAt(),
        job.finishedAt(),
        job.error(),
        job.modelId(),
        job.resumedEpoch() == null
            ? null
            : new ResumedFrom(job.resumedEpoch(), job.resumedIteration()),
        job.stopReason(),
        job.warnings(),
        job.timeoutSeconds(),
        job.status() == JobStatus.QUEUED ? job.notBefore() : null,
        job.submittedBy());
  }
}
