package io.deeptrain.training;

import io.deeptrain.spec.TrainingSpec;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/** Maps the spec's optimizer and its hyperparameters onto a DL4J updater. */
final class UpdaterFactory {

  private UpdaterFactory() {}

  /** {@code training} must be resolved (no nulls). */
  static IUpdater create(TrainingSpec training) {
    double lr = training.learningRate();
    return switch (training.optimizer()) {
      case SGD -> new Sgd(lr);
      case MOMENTUM -> new HeavyBallMomentum(lr, training.momentum());
      case NESTEROV -> new Nesterovs(lr, training.momentum());
      case ADAM -> new Adam(lr, training.beta1(), training.beta2(), training.epsilon());
      case ADAMAX -> new AdaMax(lr, training.beta1(), training.beta2(), training.epsilon());
      case RMSPROP -> new RmsProp(lr, training.rho(), training.epsilon());
      case ADADELTA -> new AdaDelta(training.rho(), training.epsilon());
      case ADAGRAD -> new AdaGrad(lr, training.epsilon());
    };
  }
}
