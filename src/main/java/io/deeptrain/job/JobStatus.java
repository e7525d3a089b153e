package io.deeptrain.job;

/**
 * The states of a job. QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED; a RUNNING job whose
 * worker dies goes back to QUEUED (or FAILED after its last attempt); a QUEUED job may be
 * CANCELLED.
 */
public enum JobStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
