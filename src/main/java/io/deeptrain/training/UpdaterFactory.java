package io.deeptrain.training;

import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.GradientClipping;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.TrainingSpec;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/** Maps the spec's optimizer and its hyperparameters onto a DL4J updater. */
final class UpdaterFactory {

  private UpdaterFactory() {}

  /**
   * @param training resolved (no nulls)
   * @param schedule the learning-rate schedule, or null for a constant rate; SGD_G2 does not take
   *     it here (its step caps h with it instead)
   */
  static IUpdater create(TrainingSpec training, ISchedule schedule) {
    double lr = training.learningRate();
    IUpdater updater =
        switch (training.optimizer()) {
          case SGD -> new Sgd(lr);
          case MOMENTUM -> new HeavyBallMomentum(lr, training.momentum());
          case NESTEROV -> new Nesterovs(lr, training.momentum());
          case ADAM -> new Adam(lr, training.beta1(), training.beta2(), training.epsilon());
          case NADAM -> new Nadam(lr, training.beta1(), training.beta2(), training.epsilon());
          case AMSGRAD -> new AMSGrad(lr, training.beta1(), training.beta2(), training.epsilon());
          case ADAMAX -> new AdaMax(lr, training.beta1(), training.beta2(), training.epsilon());
          case RMSPROP -> new RmsProp(lr, training.rho(), training.epsilon());
          case ADADELTA -> new AdaDelta(training.rho(), training.epsilon());
          case ADAGRAD -> new AdaGrad(lr, training.epsilon());
          // DL4J's pipeline (clipping, L1/L2, weight decay) with a unit rate produces the
          // direction; SgdG2Step scales it by its adaptive h.
          case SGD_G2 -> new Sgd(1.0);
        };
    if (schedule != null && updater.hasLearningRate() && training.optimizer() != Optimizer.SGD_G2) {
      updater.setLrAndSchedule(lr, schedule);
    }
    return updater;
  }

  /** The network-wide options: the updater with the spec's regularisation and clipping. */
  static NetworkOptions options(TrainingSpec training, IUpdater updater) {
    GradientClipping clipping = training.gradientClipping();
    GradientNormalization mode =
        clipping == null || clipping.type() == null
            ? GradientNormalization.None
            : switch (clipping.type()) {
              case NORM -> GradientNormalization.ClipL2PerLayer;
              case NORM_PER_PARAM_TYPE -> GradientNormalization.ClipL2PerParamType;
              case VALUE -> GradientNormalization.ClipElementWiseAbsoluteValue;
            };
    return new NetworkOptions(
        updater,
        training.l1(),
        training.l2(),
        training.weightDecay(),
        mode,
        clipping == null ? GradientClipping.DEFAULT_THRESHOLD : clipping.thresholdOrDefault(),
        training.seed());
  }
}
