package io.deeptrain.sweep;

/**
 * RUNNING until every trial has finished (SUCCEEDED, whatever each trial's outcome) or CANCELLED.
 */
public enum SweepStatus {
  RUNNING,
  SUCCEEDED,
  CANCELLED;

  boolean isFinished() {
    return this != RUNNING;
  }
}
