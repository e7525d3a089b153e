package io.deeptrain.training;

import io.deeptrain.spec.ModelSpec;

/**
 * A training loop for a family of specs that {@link TrainingRunner} does not train (generative
 * models). Beans of this type are asked in turn by {@link Trainer}; the first that {@link #trains}
 * the spec runs it.
 */
public interface SpecTrainer {

  /** Whether this loop trains the spec. */
  boolean trains(ModelSpec spec);

  /**
   * Trains the request's model, resuming from {@code checkpoints} where the loop supports it.
   *
   * @throws TrainingCancelledException when {@code control} asks to stop
   * @throws TrainingFailedException when training cannot succeed; the message says what to change
   */
  TrainedModel train(TrainingRequest request, TrainingControl control, CheckpointStore checkpoints);
}
