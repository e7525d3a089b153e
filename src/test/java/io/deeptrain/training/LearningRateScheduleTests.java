package io.deeptrain.training;

import static io.deeptrain.fixtures.TrainingFixtures.training;
import static io.deeptrain.fixtures.TrainingFixtures.withSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.deeptrain.model.MlpBuilder;
import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.ScheduleSpec;
import io.deeptrain.spec.TrainingSpec;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

class LearningRateScheduleTests {

  private static ISchedule schedule(ScheduleSpec spec, int epochs, int iterationsPerEpoch) {
    TrainingSpec t = withSchedule(training(Optimizer.SGD, 0.1, epochs, 16, 1), spec);
    return LearningRateSchedule.of(t, iterationsPerEpoch);
  }

  private static ScheduleSpec spec(
      ScheduleSpec.Type type, Double c, Integer every, Double gamma, Double min, Integer warmup) {
    return new ScheduleSpec(type, null, c, every, gamma, min, warmup);
  }

  /** The rate in epoch e (from 0) by the epoch schedule. */
  private static double at(ISchedule s, int epoch) {
    return s.valueAt(epoch * 10, epoch);
  }

  @Test
  void shouldGiveEachScheduleItsValueAtAFewEpochs() {
    ISchedule constant =
        schedule(spec(ScheduleSpec.Type.CONSTANT, null, null, null, null, null), 10, 1);
    assertThat(at(constant, 0)).isEqualTo(0.1);
    assertThat(at(constant, 9)).isEqualTo(0.1);

    ISchedule inverse =
        schedule(spec(ScheduleSpec.Type.INVERSE, 0.6, null, null, null, null), 10, 1);
    assertThat(at(inverse, 0)).isCloseTo(0.6, offset(1e-12));
    assertThat(at(inverse, 1)).isCloseTo(0.3, offset(1e-12));
    assertThat(at(inverse, 5)).isCloseTo(0.1, offset(1e-12));

    ISchedule step = schedule(spec(ScheduleSpec.Type.STEP, null, 3, 0.5, null, null), 10, 1);
    assertThat(at(step, 2)).isCloseTo(0.1, offset(1e-12));
    assertThat(at(step, 3)).isCloseTo(0.05, offset(1e-12));
    assertThat(at(step, 7)).isCloseTo(0.025, offset(1e-12));

    ISchedule exponential =
        schedule(spec(ScheduleSpec.Type.EXPONENTIAL, null, null, 0.9, null, null), 10, 1);
    assertThat(at(exponential, 2)).isCloseTo(0.081, offset(1e-12));

    ISchedule cosine =
        schedule(spec(ScheduleSpec.Type.COSINE, null, null, null, 0.01, null), 11, 1);
    assertThat(at(cosine, 0)).isCloseTo(0.1, offset(1e-12));
    assertThat(at(cosine, 5)).isCloseTo(0.055, offset(1e-12));
    assertThat(at(cosine, 10)).isCloseTo(0.01, offset(1e-12));
  }

  @Test
  void shouldWarmUpLinearlyThenStartTheScheduleFromItsBeginning() {
    ISchedule warm = schedule(spec(ScheduleSpec.Type.INVERSE, null, null, null, null, 4), 20, 1);
    assertThat(at(warm, 0)).isCloseTo(0.025, offset(1e-12));
    assertThat(at(warm, 3)).isCloseTo(0.1, offset(1e-12));
    assertThat(at(warm, 4)).isCloseTo(0.1, offset(1e-12));
    assertThat(at(warm, 5)).isCloseTo(0.05, offset(1e-12));

    // By iteration: a cosine over the 5 x 10 iterations left after a 10-iteration warm-up.
    ISchedule cosine =
        schedule(
            new ScheduleSpec(
                ScheduleSpec.Type.COSINE, ScheduleSpec.Unit.ITERATION, null, null, null, 0.0, 10),
            6,
            10);
    assertThat(cosine.valueAt(4, 0)).isCloseTo(0.05, offset(1e-12));
    assertThat(cosine.valueAt(10, 1)).isCloseTo(0.1, offset(1e-12));
    assertThat(cosine.valueAt(59, 5)).isCloseTo(0.0, offset(1e-12));
  }

  @Test
  void shouldPutTheScheduleOnTheUpdaterAndKeepItInTheModelJson() {
    TrainingSpec t =
        withSchedule(
            training(Optimizer.MOMENTUM, 0.1, 10, 16, 1),
            new ScheduleSpec(ScheduleSpec.Type.COSINE, null, null, null, null, 0.0, 2));
    ISchedule schedule = LearningRateSchedule.of(t, 8);
    IUpdater updater = UpdaterFactory.create(t, schedule);
    assertThat(updater.getLearningRate(0, 1)).isCloseTo(0.1, offset(1e-12));
    assertThat(updater.getLearningRate(0, 0)).isCloseTo(0.05, offset(1e-12));

    MultiLayerConfiguration conf =
        new MlpBuilder()
            .build(
                new MlpSpec(List.of(new DenseLayerSpec(4, Activation.RELU)), null),
                4,
                3,
                NetworkOptions.of(updater, 0, 0, 1));
    String jsonText = conf.toJson();
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(jsonText);
    IUpdater restored = back.getConf(0).getLayer().getUpdaterByParam("W");
    assertThat(restored).isEqualTo(updater);
    assertThat(restored.getLearningRate(0, 5)).isEqualTo(updater.getLearningRate(0, 5));
  }

  @Test
  void shouldMapTheNewOptimizers() {
    assertThat(UpdaterFactory.create(training(Optimizer.NADAM, 0.1, 1, 1, 1), null))
        .isEqualTo(new Nadam(0.1, 0.9, 0.999, 1e-8));
    assertThat(UpdaterFactory.create(training(Optimizer.AMSGRAD, 0.1, 1, 1, 1), null))
        .isEqualTo(new AMSGrad(0.1, 0.9, 0.999, 1e-8));
    // SGD-G2 scales a unit-rate SGD update by its own h, with or without a schedule.
    TrainingSpec g2 =
        withSchedule(
            training(Optimizer.SGD_G2, 0.1, 1, 1, 1),
            new ScheduleSpec(ScheduleSpec.Type.INVERSE, null, null, null, null, null, null));
    assertThat(UpdaterFactory.create(g2, LearningRateSchedule.of(g2, 1))).isEqualTo(new Sgd(1.0));
  }
}
