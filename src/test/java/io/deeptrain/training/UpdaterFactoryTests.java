package io.deeptrain.training;

import static io.deeptrain.fixtures.TrainingFixtures.training;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.deeptrain.spec.Optimizer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

class UpdaterFactoryTests {

  @Test
  void shouldMapEveryOptimizerToItsOwnUpdater() {
    assertThat(UpdaterFactory.create(training(Optimizer.SGD, 0.1, 1, 1, 1), null))
        .isInstanceOf(Sgd.class);
    assertThat(UpdaterFactory.create(training(Optimizer.MOMENTUM, 0.1, 1, 1, 1), null))
        .isEqualTo(new HeavyBallMomentum(0.1, 0.9));
    assertThat(UpdaterFactory.create(training(Optimizer.NESTEROV, 0.1, 1, 1, 1), null))
        .isEqualTo(new Nesterovs(0.1, 0.9));
    assertThat(UpdaterFactory.create(training(Optimizer.ADAM, 0.1, 1, 1, 1), null))
        .isEqualTo(new Adam(0.1, 0.9, 0.999, 1e-8));
    assertThat(UpdaterFactory.create(training(Optimizer.ADAMAX, 0.1, 1, 1, 1), null))
        .isEqualTo(new AdaMax(0.1, 0.9, 0.999, 1e-8));
    assertThat(UpdaterFactory.create(training(Optimizer.RMSPROP, 0.1, 1, 1, 1), null))
        .isEqualTo(new RmsProp(0.1, 0.95, 1e-8));
    assertThat(UpdaterFactory.create(training(Optimizer.ADADELTA, 0.1, 1, 1, 1), null))
        .isEqualTo(new AdaDelta(0.95, 1e-8));
    assertThat(UpdaterFactory.create(training(Optimizer.ADAGRAD, 0.1, 1, 1, 1), null))
        .isEqualTo(new AdaGrad(0.1, 1e-8));
  }

  @Test
  void shouldAccumulateHeavyBallVelocityRatherThanLookAhead() {
    INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2);
    GradientUpdater<?> updater = new HeavyBallMomentum(0.1, 0.5).instantiate(state, true);

    INDArray g1 = Nd4j.createFromArray(new float[][] {{1f, 2f}});
    updater.applyUpdater(g1, 0, 0);
    INDArray g2 = Nd4j.createFromArray(new float[][] {{1f, 2f}});
    updater.applyUpdater(g2, 1, 0);

    // v1 = 0.1*g; v2 = 0.5*v1 + 0.1*g = 0.15*g.
    assertThat(g1.toFloatVector()).containsExactly(0.1f, 0.2f);
    assertThat(g2.toFloatVector()[0]).isCloseTo(0.15f, offset(1e-6f));
    assertThat(g2.toFloatVector()[1]).isCloseTo(0.30f, offset(1e-6f));
  }
}
