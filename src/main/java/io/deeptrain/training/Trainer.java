package io.deeptrain.training;

import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The training feature's one entry point: picks the loop a spec needs. Language models and
 * forecasters have loops of their own (per-step targets, regression); generative models are trained
 * by the {@link SpecTrainer} beans of their feature; every classifier goes through {@link
 * TrainingRunner}, with checkpoints.
 */
@Service
public class Trainer {

  private final TrainingRunner classifiers;
  private final LanguageModelTrainer languageModels;
  private final TimeSeriesTrainer forecasters;
  private final List<SpecTrainer> others;

  Trainer(
      TrainingRunner classifiers,
      LanguageModelTrainer languageModels,
      TimeSeriesTrainer forecasters,
      List<SpecTrainer> others) {
    this.classifiers = classifiers;
    this.languageModels = languageModels;
    this.forecasters = forecasters;
    this.others = List.copyOf(others);
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
    for (SpecTrainer other : others) {
      if (other.trains(request.spec())) {
        return other.train(request, control, checkpoints);
      }
    }
    if (request.spec().generative()) {
      throw new TrainingFailedException(
          "this service has no trainer for " + request.spec().type() + " models");
    }
    return classifiers.train(request, control, checkpoints);
  }
}
