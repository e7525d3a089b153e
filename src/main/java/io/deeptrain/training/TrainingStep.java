package io.deeptrain.training;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One optimisation step on one mini-batch. DL4J's updaters need one gradient per step and run
 * inside {@code fit}; SGD-G2 needs two and drives the network itself ({@link SgdG2Step}).
 */
interface TrainingStep {

  /** Updates the network from one batch and returns the batch loss at the parameters before it. */
  double fit(INDArray features, INDArray labels);

  /** The learning rate the last step used, NaN when the optimizer has none (AdaDelta). */
  double learningRate();

  /** True when the rate can change between the iterations of one epoch. */
  boolean variesWithinEpoch();

  /** Steps through DL4J's updater (and its schedule, if any). */
  static TrainingStep of(TrainableNetwork net, IUpdater updater, boolean iterationSchedule) {
    return new TrainingStep() {
      public double fit(INDArray features, INDArray labels) {
        net.fit(features, labels);
        return net.score();
      }

      public double learningRate() {
        // The counter has already moved past the step that just ran.
        return updater.hasLearningRate()
            ? updater.getLearningRate(Math.max(0, net.iterationCount() - 1), net.epochCount())
            : Double.NaN;
      }

      public boolean variesWithinEpoch() {
        return iterationSchedule && updater.hasLearningRate();
      }
    };
  }
}
