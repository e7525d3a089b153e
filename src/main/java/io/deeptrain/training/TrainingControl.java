package io.deeptrain.training;

/** The job's side of a training run: cancellation and progress, checked between iterations. */
public interface TrainingControl {

  /** True when the run must stop at the next iteration (cancelled, or ownership lost). */
  boolean stopRequested();

  /** Called after each completed epoch. */
  void epochCompleted(int epochsDone, int epochsTotal);

  /**
   * Called once before the first iteration with where the run starts: {@link ResumePoint#start()}
   * or the checkpoint it restored.
   */
  default void starting(ResumePoint from) {}

  /**
   * Records a warning a person should read with the job's results (e.g. a GAN's samples losing
   * diversity); the run goes on. The same text twice is kept once.
   */
  default void warn(String message) {}

  /** Whether a run that stops early saves a checkpoint first (not when another replica owns it). */
  default boolean checkpointOnStop() {
    return true;
  }
}
