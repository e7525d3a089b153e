package io.deeptrain.training;

import static io.deeptrain.fixtures.TrainingFixtures.metricProperties;
import static io.deeptrain.fixtures.TrainingFixtures.mlp;
import static io.deeptrain.fixtures.TrainingFixtures.runToEnd;
import static io.deeptrain.fixtures.TrainingFixtures.training;
import static io.deeptrain.fixtures.TrainingFixtures.withEarlyStopping;
import static io.deeptrain.fixtures.TrainingFixtures.withSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.fixtures.InMemoryMetricRecorder;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.EarlyStoppingSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.ScheduleSpec;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.spec.TrainingSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Runs with the optimizers, schedules and early stopping of issue #4, on iris and wine. */
class OptimizationRunTests {

  private static final DatasetCatalog CATALOG = new DatasetCatalog();

  private InMemoryMetricRecorder recorder = new InMemoryMetricRecorder();

  private TrainedModel train(String dataset, MlpSpec spec, TrainingSpec training) {
    recorder = new InMemoryMetricRecorder();
    return new TrainingRunner(
            CATALOG,
            new MlpBuilder(),
            new CnnBuilder(new SpecGeometry()),
            new io.deeptrain.model.LstmBuilder(),
            recorder,
            metricProperties(5))
        .train(new TrainingRequest(UUID.randomUUID(), dataset, spec, training), runToEnd());
  }

  private List<Double> series(String name) {
    return recorder.allSeries().getOrDefault(name, List.of());
  }

  @Test
  void shouldClassifyIrisWithSgdG2AndRecordItsAdaptiveStep() {
    TrainedModel model =
        train("iris", mlp(Activation.RELU, 16, 16), training(Optimizer.SGD_G2, 0.01, 100, 16, 42));

    assertThat(model.metrics().get("test_accuracy")).isGreaterThanOrEqualTo(0.9);
    // h starts at 0.01 and adapts; the per-epoch value is h after the epoch's last step.
    assertThat(series("learning_rate")).hasSize(100);
    assertThat(series("learning_rate").get(99)).isNotEqualTo(0.01);
    // 120 rows in batches of 16: 8 iterations an epoch, a point every 5th.
    assertThat(recorder.series("learning_rate_step")).hasSize(160);
    assertThat(model.stopReason()).isEqualTo("completed all 100 epochs");
  }

  @Test
  void shouldRepeatTheSgdG2SeriesForTheSameSeedEvenWithDropout() {
    MlpSpec spec = mlp(0.2, Activation.RELU, 16, 16);
    TrainingSpec config = training(Optimizer.SGD_G2, 0.01, 4, 16, 7);

    TrainedModel first = train("wine", spec, config);
    Map<String, List<Double>> firstSeries = withoutTimings(recorder.allSeries());
    TrainedModel second = train("wine", spec, config);

    assertThat(firstSeries).containsKeys("loss", "learning_rate", "learning_rate_step");
    assertThat(withoutTimings(recorder.allSeries())).isEqualTo(firstSeries);
    assertThat(second.metrics()).isEqualTo(first.metrics());
  }

  @Test
  void shouldClassifyIrisWithAdamAndTheInverseDecayAndRecordTheDecayedRate() {
    TrainingSpec config =
        withSchedule(
            training(Optimizer.ADAM, 0.05, 40, 16, 42),
            new ScheduleSpec(ScheduleSpec.Type.INVERSE, null, null, null, null, null, null));
    TrainedModel model = train("iris", mlp(Activation.RELU, 16, 16), config);

    assertThat(model.metrics().get("test_accuracy")).isGreaterThanOrEqualTo(0.9);
    // c = learningRate; epoch e (from 1) trains at c/e.
    List<Double> rates = series("learning_rate");
    assertThat(rates.get(0)).isCloseTo(0.05, offset(1e-12));
    assertThat(rates.get(1)).isCloseTo(0.025, offset(1e-12));
    assertThat(rates.get(39)).isCloseTo(0.05 / 40, offset(1e-12));
    assertThat(series("learning_rate_step")).isEmpty();
  }

  @Test
  void shouldRecordTheWarmedUpIterationRateEveryFifthIteration() {
    TrainingSpec config =
        withSchedule(
            training(Optimizer.SGD, 0.1, 2, 16, 42),
            new ScheduleSpec(
                ScheduleSpec.Type.CONSTANT,
                ScheduleSpec.Unit.ITERATION,
                null,
                null,
                null,
                null,
                10));
    train("iris", mlp(Activation.RELU, 8), config);

    // Iteration i (from 1) of the warm-up trains at 0.1 * i / 10; after 10 iterations, 0.1.
    assertThat(series("learning_rate_step").get(0)).isCloseTo(0.05, offset(1e-12));
    assertThat(series("learning_rate_step").get(1)).isCloseTo(0.1, offset(1e-12));
    assertThat(series("learning_rate").get(0)).isCloseTo(0.08, offset(1e-12));
  }

  @Test
  void shouldKeepTheBestEpochWhenTheWatchedLossStopsImproving() {
    // A minDelta no epoch can beat: epoch 1 stays the best and the run stops after 1 + 2 epochs.
    TrainingSpec config =
        withEarlyStopping(
            training(Optimizer.ADAM, 0.01, 30, 16, 42),
            new EarlyStoppingSpec("test_loss", 2, 100.0, null));
    TrainedModel model = train("iris", mlp(Activation.RELU, 16, 16), config);

    assertThat(series("test_loss")).hasSize(3);
    assertThat(model.metrics().get("stoppedEarly")).isEqualTo(1.0);
    assertThat(model.metrics().get("bestEpoch")).isEqualTo(1.0);
    assertThat(model.metrics().get("test_loss")).isEqualTo(series("test_loss").get(0));
    assertThat(model.metrics().get("test_accuracy")).isEqualTo(series("test_accuracy").get(0));
    assertThat(model.stopReason())
        .startsWith(
            "early stopping: test_loss did not improve by 100.0 for 2 epochs; best epoch 1");
    // The confusion matrix is measured on the registered model: epoch 1's, not epoch 3's.
    assertThat(accuracy(model.confusion())).isEqualTo(series("test_accuracy").get(0));
  }

  @Test
  void shouldRestoreTheBestEpochWhenTheLossGetsWorse() {
    // SGD at a rate far too large for wine: test_loss rises after its best epoch.
    TrainingSpec config =
        withEarlyStopping(
            training(Optimizer.SGD, 2.0, 12, 16, 3),
            new EarlyStoppingSpec("test_loss", 3, 0.0, EarlyStoppingSpec.Mode.MIN));
    TrainedModel model = train("wine", mlp(Activation.TANH, 32), config);

    List<Double> losses = series("test_loss");
    int best = model.metrics().get("bestEpoch").intValue();
    assertThat(losses.get(best - 1)).isEqualTo(losses.stream().min(Double::compare).orElseThrow());
    assertThat(model.metrics().get("test_loss")).isEqualTo(losses.get(best - 1));
    assertThat(accuracy(model.confusion())).isEqualTo(series("test_accuracy").get(best - 1));
    if (best < losses.size()) {
      assertThat(losses.get(losses.size() - 1)).isGreaterThan(losses.get(best - 1));
    }
  }

  @Test
  void shouldSayWhereTheLossDivergedAndWhatToChange() {
    assertThatThrownBy(
            () ->
                train("wine", mlp(Activation.RELU, 64, 64), training(Optimizer.SGD, 1e6, 5, 16, 1)))
        .isInstanceOf(TrainingFailedException.class)
        .hasMessageMatching(
            "loss diverged at epoch 1, iteration \\d+ \\(last finite loss .+, then"
                + " (NaN|infinite)\\); try a smaller learning rate \\(it was 1000000.0\\).*");
  }

  private static double accuracy(List<List<Integer>> confusion) {
    int total = 0;
    int correct = 0;
    for (int i = 0; i < confusion.size(); i++) {
      for (int j = 0; j < confusion.size(); j++) {
        total += confusion.get(i).get(j);
        correct += i == j ? confusion.get(i).get(j) : 0;
      }
    }
    return (double) correct / total;
  }

  private static Map<String, List<Double>> withoutTimings(Map<String, List<Double>> series) {
    Map<String, List<Double>> copy = new TreeMap<>(series);
    copy.remove("samples_per_second");
    copy.remove("epoch_seconds");
    return copy;
  }
}
