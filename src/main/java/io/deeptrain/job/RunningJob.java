package io.deeptrain.job;

import io.deeptrain.training.ResumePoint;
import io.deeptrain.training.TrainingControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    SHUTDOWN,
    /** The attempt ran longer than the job's timeout. */
    TIMEOUT
  }

  private final Job job;
  private final IntConsumer progress;
  private final Consumer<ResumePoint> starting;
  private final Consumer<String> warnings;
  private final Clock clock;
  private final Duration timeout;
  private final Instant deadline;
  private volatile StopReason stopReason;
  private volatile int epochsDone;

  RunningJob(Job job, IntConsumer progress, Consumer<ResumePoint> starting) {
    this(job, progress, starting, warning -> {}, Clock.systemUTC(), null);
  }

  /**
   * @param timeout how long this attempt may run from now (null: no limit)
   */
  RunningJob(
      Job job,
      IntConsumer progress,
      Consumer<ResumePoint> starting,
      Consumer<String> warnings,
      Clock clock,
      Duration timeout) {
    this.job = job;
    this.progress = progress;
    this.starting = starting;
    this.warnings = warnings;
    this.clock = clock;
    this.timeout = timeout;
    this.deadline = timeout == null ? null : clock.instant().plus(timeout);
    this.epochsDone = job.epochsDone();
  }

  Duration timeout() {
    return timeout;
  }

  /** Epochs completed so far (restored ones included). */
  int epochsDone() {
    return epochsDone;
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

  /** Checked between iterations, so an attempt past its deadline stops at its next one. */
  @Override
  public boolean stopRequested() {
    if (stopReason == null && deadline != null && !clock.instant().isBefore(deadline)) {
      requestStop(StopReason.TIMEOUT);
    }
    return stopReason != null;
  }

  @Override
  public void epochCompleted(int epochsDone, int epochsTotal) {
    this.epochsDone = epochsDone;
    progress.accept(epochsDone);
  }

  @Override
  public void starting(ResumePoint from) {
    this.epochsDone = from.epochsDone();
    starting.accept(from);
  }

  /** Why a timed-out attempt failed, and what to change. */
  String timeoutReason() {
    int total = job.epochsTotal();
    int epoch = Math.min(epochsDone + 1, Math.max(total, 1));
    return "stopped after the "
        + describe(timeout)
        + " timeout at epoch "
        + epoch
        + " of "
        + total
        + " ("
        + epochsDone
        + " completed; the checkpoint is kept and POST /api/v1/jobs/"
        + job.id()
        + "/resume continues from it); raise `timeout` or lower `training.epochs`";
  }

  /** "30-minute", "2-hour", "90-second". */
  static String describe(Duration d) {
    long s = d.toSeconds();
    if (s > 0 && s % 3600 == 0) {
      return (s / 3600) + "-hour";
    }
    if (s > 0 && s % 60 == 0) {
      return (s / 60) + "-minute";
    }
    return s + "-second";
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
