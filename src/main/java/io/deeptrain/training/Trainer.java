package io.deeptrain.training;

import org.springframework.stereotype.Service;

/**
 * The training feature's one entry point: picks the loop a spec needs. Language models and
 * forecasters have loops of their own (per-step targets, regression); every classifier goes through
 * {@link TrainingRunner}, with checkpoints.
 */
@Service
public class Trainer {

  private final TrainingRunner classifiers;
  private final LanguageModelTrainer languageModels;
  private final TimeSeriesTrainer forecasters;

  Trainer(
      TrainingRunner classifiers,
      LanguageModelTrainer languageModels,
      TimeSeriesTrainer forecasters) {
    this.classifiers = classifiers;
    this.languageModels = languageModels;
    this.forecasters = forecasters;
  }

  /**
   * Trains the request's model, resuming from {@code checkpoints} where the loop supports it.
   *
   * @throws TrainingCancelledException when {@code control} asks to stop
   * @throws TrainingFailedException when training cannot succeed; the message says what to change
   */
  public TrainedModel train(
      TrainingRequest request, TrainingControl control, CheckpointStore checkpoints) {
    if (LanguageModelTrainer.trains(request.spec())) {
      return languageModels.train(request, control);
    }
    if (TimeSeriesTrainer.trains(request.spec())) {
      return forecasters.train(request, control);
    }
    return classifiers.train(request, control, checkpoints);
  }
}
