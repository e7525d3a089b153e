package io.deeptrain.training;

import static io.deeptrain.fixtures.TrainingFixtures.metricProperties;
import static io.deeptrain.fixtures.TrainingFixtures.mlp;
import static io.deeptrain.fixtures.TrainingFixtures.runToEnd;
import static io.deeptrain.fixtures.TrainingFixtures.stopWhen;
import static io.deeptrain.fixtures.TrainingFixtures.training;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.fixtures.InMemoryMetricRecorder;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.spec.TrainingSpec;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainingRunnerTests {

  private static final DatasetCatalog CATALOG = new DatasetCatalog();
  private static final List<String> EPOCH_METRICS =
      List.of(
          "train_loss",
          "train_accuracy",
          "test_loss",
          "test_accuracy",
          "learning_rate",
          "samples_per_second",
          "epoch_seconds");

  /** The README walk-through: 16-16 ReLU, Adam 0.01, L2 0.01, 60 epochs of batch 16, seed 42. */
  static TrainingSpec readmeIrisTraining() {
    return training(Optimizer.ADAM, 0.01, 60, 16, 42, 0.01);
  }

  private final InMemoryMetricRecorder recorder = new InMemoryMetricRecorder();
  private final TrainingRunner runner =
      new TrainingRunner(
          CATALOG,
          new MlpBuilder(),
          new CnnBuilder(new SpecGeometry()),
          new io.deeptrain.model.LstmBuilder(),
          recorder,
          metricProperties(5));

  private TrainedModel train(String dataset, MlpSpec spec, TrainingSpec training) {
    return runner.train(
        new TrainingRequest(UUID.randomUUID(), dataset, spec, training), runToEnd());
  }

  @Test
  void shouldReachNinetyThreePercentOnIrisAndClassifyASetosa() throws Exception {
    TrainedModel model = train("iris", mlp(Activation.RELU, 16, 16), readmeIrisTraining());

    assertThat(model.metrics().get("test_accuracy")).isGreaterThanOrEqualTo(0.93);
    assertThat(model.labels()).containsExactly("setosa", "versicolor", "virginica");
    assertThat(model.inputShape()).containsExactly(4);
    assertThat(model.metrics())
        .containsOnlyKeys("test_accuracy", "test_loss", "train_loss", "train_accuracy");

    MultiLayerNetwork net =
        ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.artifact()));
    double[] row = model.normalization().apply(new double[] {5.1, 3.5, 1.4, 0.2});
    INDArray input =
        Nd4j.createFromArray(
            new float[][] {{(float) row[0], (float) row[1], (float) row[2], (float) row[3]}});
    int predicted = net.output(input).argMax(1).getInt(0);
    assertThat(model.labels().get(predicted)).isEqualTo("setosa");
    net.close();
  }

  @Test
  void shouldReachNinetyThreePercentOnWine() {
    TrainedModel model =
        train(
            "wine", mlp(Activation.RELU, 16, 16), training(Optimizer.ADAM, 0.01, 30, 16, 42, 0.01));

    assertThat(model.metrics().get("test_accuracy")).isGreaterThanOrEqualTo(0.93);
    assertThat(model.inputShape()).containsExactly(13);
  }

  @Test
  void shouldRecordOnePointPerEpochAndTheLossEveryFifthIteration() {
    List<Integer> completed = new ArrayList<>();
    TrainingControl control =
        new TrainingControl() {
          @Override
          public boolean stopRequested() {
            return false;
          }

          @Override
          public void epochCompleted(int done, int total) {
            completed.add(done);
          }
        };
    runner.train(
        new TrainingRequest(
            UUID.randomUUID(),
            "iris",
            mlp(Activation.RELU, 8),
            training(Optimizer.ADAM, 0.01, 4, 16, 1)),
        control);

    for (String name : EPOCH_METRICS) {
      assertThat(recorder.series(name))
          .as(name)
          .extracting(InMemoryMetricRecorder.Point::step)
          .containsExactly(1L, 2L, 3L, 4L);
    }
    // 120 training rows in batches of 16: 8 iterations per epoch, 32 in all.
    assertThat(recorder.series("loss"))
        .extracting(InMemoryMetricRecorder.Point::step)
        .containsExactlyElementsOf(LongStream.of(5, 10, 15, 20, 25, 30).boxed().toList());
    assertThat(recorder.series("loss"))
        .extracting(InMemoryMetricRecorder.Point::epoch)
        .containsExactly(1, 2, 2, 3, 4, 4);
    assertThat(completed).containsExactly(1, 2, 3, 4);
  }

  @Test
  void shouldRepeatEverySeriesExceptTimingsForTheSameSeed() {
    MlpSpec spec = mlp(0.2, Activation.RELU, 16, 16);
    TrainingSpec config = training(Optimizer.ADAM, 0.01, 5, 16, 7);

    TrainedModel first = train("wine", spec, config);
    Map<String, List<Double>> firstSeries = withoutTimings(recorder.allSeries());
    InMemoryMetricRecorder again = new InMemoryMetricRecorder();
    TrainedModel second =
        new TrainingRunner(
                CATALOG,
                new MlpBuilder(),
                new CnnBuilder(new SpecGeometry()),
                new io.deeptrain.model.LstmBuilder(),
                again,
                metricProperties(5))
            .train(new TrainingRequest(UUID.randomUUID(), "wine", spec, config), runToEnd());

    assertThat(firstSeries).containsKeys("loss", "train_loss", "test_accuracy");
    assertThat(withoutTimings(again.allSeries())).isEqualTo(firstSeries);
    assertThat(second.metrics()).isEqualTo(first.metrics());
    assertThat(second.normalization()).isEqualTo(first.normalization());
  }

  @Test
  void shouldStopBeforeTheEpochEndsWhenCancelled() {
    // Stop at the 4th check: three iterations ran, the epoch has eight.
    assertThatThrownBy(
            () ->
                runner.train(
                    new TrainingRequest(
                        UUID.randomUUID(),
                        "iris",
                        mlp(Activation.RELU, 8),
                        training(Optimizer.ADAM, 0.01, 3, 16, 1)),
                    stopWhen(check -> check >= 4)))
        .isInstanceOf(TrainingCancelledException.class)
        .hasMessageContaining("epoch 1, iteration 4");
    assertThat(recorder.series("train_loss")).isEmpty();
  }

  @Test
  void shouldFailWithDivergedWhenTheLearningRateIsFarTooLarge() {
    assertThatThrownBy(
            () ->
                train("wine", mlp(Activation.RELU, 64, 64), training(Optimizer.SGD, 1e6, 5, 16, 1)))
        .isInstanceOf(TrainingFailedException.class)
        .hasMessageContaining("diverged")
        .hasMessageContaining("epoch 1")
        .hasMessageContaining("smaller learning rate");
  }

  @Test
  void shouldTrainWithHeavyBallMomentumAndReloadTheModel() throws Exception {
    TrainedModel model =
        train("iris", mlp(Activation.TANH, 16), training(Optimizer.MOMENTUM, 0.05, 20, 16, 3));

    assertThat(model.metrics().get("test_accuracy")).isGreaterThan(0.8);
    // The custom updater is written into the model's JSON and must come back on load.
    MultiLayerNetwork net =
        ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.artifact()));
    assertThat(net.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W"))
        .isEqualTo(new HeavyBallMomentum(0.05, 0.9));
    net.close();
  }

  @Test
  void shouldFailWithAReadableReasonForAnUnknownDataset() {
    assertThatThrownBy(
            () -> train("mnist", mlp(Activation.RELU, 8), training(Optimizer.ADAM, 0.01, 1, 16, 1)))
        .isInstanceOf(TrainingFailedException.class)
        .hasMessageContaining("'mnist' does not exist")
        .hasMessageContaining("iris");
  }

  private static Map<String, List<Double>> withoutTimings(Map<String, List<Double>> series) {
    Map<String, List<Double>> copy = new TreeMap<>(series);
    copy.remove("samples_per_second");
    copy.remove("epoch_seconds");
    return copy;
  }
}
