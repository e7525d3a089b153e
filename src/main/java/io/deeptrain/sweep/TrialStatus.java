package io.deeptrain.sweep;

/**
 * A trial as the leaderboard shows it: PENDING while held back by maxParallel, then its job's
 * status; CANCELLED also for a trial that never started because its sweep was cancelled, FAILED for
 * one whose job could not be queued.
 */
public enum TrialStatus {
  PENDING,
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  boolean isActive() {
    return this == QUEUED || this == RUNNING;
  }
}
