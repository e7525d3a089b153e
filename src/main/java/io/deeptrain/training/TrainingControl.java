package io.deeptrain.training;

/** The job's side of a training run: cancellation and progress, checked between iterations. */
public interface TrainingControl {

  /** True when the run must stop at the next iteration (cancelled, or ownership lost). */
  boolean stopRequested();

  /** Called after each completed epoch. */
  void epochCompleted(int epochsDone, int epochsTotal);
}
