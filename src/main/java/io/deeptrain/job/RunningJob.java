package io.deeptrain.job;

import io.deeptrain.training.ResumePoint;
import io.deeptrain.training.TrainingControl;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** A job on one of this replica's workers, and the control its training run polls. */
class RunningJob implements TrainingControl {

  /** Why a run must stop early. */
  enum StopReason {
    /** A user cancelled it. */
    CANCELLED,
    /** Another replica took it over (our heartbeat went stale); write nothing more. */
    LOST,
    /** This replica is shutting down; hand the job back to the queue. */
    SHUTDOWN
  }

  private final Job job;
  private final IntConsumer progress;
  private final Consumer<ResumePoint> starting;
  private final Consumer<String> warnings;
  private volatile StopReason stopReason;

  RunningJob(Job job, IntConsumer progress, Consumer<ResumePoint> starting) {
    this(job, progress, starting, warning -> {});
  }

  RunningJob(
      Job job, IntConsumer progress, Consumer<ResumePoint> starting, Consumer<String> warnings) {
    this.job = job;
    this.progress = progress;
    this.starting = starting;
    this.warnings = warnings;
  }

  Job job() {
    return job;
  }

  UUID id() {
    return job.id();
  }

  /** The first reason wins: a job cancelled, then lost, stays cancelled. */
  synchronized void requestStop(StopReason reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  StopReason stopReason() {
    return stopReason;
  }

  @Override
  public boolean stopRequested() {
    return stopReason != null;
  }

  @Override
  public void epochCompleted(int epochsDone, int epochsTotal) {
    progress.accept(epochsDone);
  }

  @Override
  public void starting(ResumePoint from) {
    starting.accept(from);
  }

  @Override
  public void warn(String message) {
    if (stopReason != StopReason.LOST) {
      warnings.accept(message);
    }
  }

  /** A lost job belongs to another replica now: nothing of this run may be stored. */
  @Override
  public boolean checkpointOnStop() {
    return stopReason != StopReason.LOST;
  }
}
