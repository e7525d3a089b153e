package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.ImageCatalogs;
import io.deeptrain.fixtures.InMemoryCheckpointStore;
import io.deeptrain.fixtures.InMemoryMetricRecorder;
import io.deeptrain.fixtures.TrainingFixtures;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.GanSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.CheckpointStore;
import io.deeptrain.training.TrainedModel;
import io.deeptrain.training.TrainingCancelledException;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** GAN graphs, steps and training runs on a few hundred real Fashion-MNIST images. */
class GanTrainerTests {

  static final DatasetCatalog CATALOG = ImageCatalogs.withSystemDatasets();
  static final List<Integer> MNIST = List.of(1, 28, 28);

  @BeforeAll
  static void requireFashionMnist() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
  }

  static GanSpec dense(double smoothing, int discriminatorSteps) {
    return new GanSpec(
        GanSpec.Architecture.DENSE,
        16,
        new GanSpec.Network(List.of(64), 0.001, 0.5),
        new GanSpec.Network(List.of(64), 0.001, 0.5),
        smoothing,
        discriminatorSteps);
  }

  static GanSpec convolutional() {
    return new GanSpec(
        GanSpec.Architecture.CONVOLUTIONAL,
        8,
        new GanSpec.Network(List.of(8, 4), 0.001, 0.5),
        new GanSpec.Network(List.of(4, 8), 0.001, 0.5),
        0.0,
        1);
  }

  /** Batches of 32 from the first {@code maxTrain} (seeded) training images. */
  static TrainingSpec training(int epochs, int maxTrain) {
    return new TrainingSpec(
            epochs,
            32,
            Optimizer.ADAM,
            0.001,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            5L,
            null,
            maxTrain,
            100,
            null,
            null,
            null,
            null)
        .resolved();
  }

  /** Keeps every PNG grid by epoch. */
  static final class Grids implements TrainingSamples {
    final Map<Integer, byte[]> images = new TreeMap<>();

    @Override
    public void record(UUID jobId, int epoch, String text) {}

    @Override
    public void recordImage(UUID jobId, int epoch, byte[] png) {
      images.put(epoch, png);
    }
  }

  /** A trainer whose sample-quality measure is a fake giving one fixed figure. */
  static GanTrainer trainer(InMemoryMetricRecorder metrics, TrainingSamples samples) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean(
        "quality", (SampleQuality) (dataset, model, seed) -> Map.of("frechet_distance", 1.5));
    return new GanTrainer(
        new GenerativeRuns(
            CATALOG,
            metrics,
            TrainingFixtures.metricProperties(1),
            samples,
            beans.getBeanProvider(SampleQuality.class)));
  }

  static TrainedModel train(
      GanSpec spec, TrainingSpec t, InMemoryMetricRecorder metrics, CheckpointStore store) {
    return trainer(metrics, new Grids())
        .train(
            new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, t),
            TrainingFixtures.runToEnd(),
            store);
  }

  @Test
  void shouldBuildGraphsThatGenerateImagesOfTheDatasetsShape() {
    for (GanSpec spec : List.of(dense(0, 1), convolutional())) {
      SameDiff sd = GanGraph.training(spec, MNIST, 1);
      Map<String, INDArray> out =
          sd.output(
              Map.of(
                  GanGraph.REAL,
                  Nd4j.rand(DataType.FLOAT, 5, 1, 28, 28),
                  GanGraph.NOISE,
                  GanModel.noise(5, spec.latentSizeOrDefault(), new Random(1))),
              GanGraph.FAKE,
              GanGraph.SAMPLES,
              GanGraph.REAL_LOGITS,
              GanGraph.FAKE_LOGITS,
              GanGraph.D_LOSS,
              GanGraph.G_LOSS);
      String kind = spec.architectureOrDefault().name();
      assertThat(out.get(GanGraph.FAKE).shape()).as(kind).containsExactly(5, 1, 28, 28);
      assertThat(out.get(GanGraph.SAMPLES).shape()).as(kind).containsExactly(5, 1, 28, 28);
      assertThat(out.get(GanGraph.REAL_LOGITS).shape()).as(kind).containsExactly(5, 1);
      assertThat(out.get(GanGraph.FAKE).minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
      assertThat(out.get(GanGraph.FAKE).maxNumber().doubleValue()).isLessThanOrEqualTo(1);
      assertThat(out.get(GanGraph.D_LOSS).getDouble(0)).isPositive();
      assertThat(out.get(GanGraph.G_LOSS).getDouble(0)).isPositive();

      long params =
          sd.variables().stream()
              .filter(v -> v.getVariableType() == VariableType.VARIABLE)
              .mapToLong(v -> v.getArr().length())
              .sum();
      assertThat(params).as("%s parameters", kind).isEqualTo(spec.parameterCount(MNIST));

      GanModel model =
          new GanModel(null, MNIST, spec.latentSizeOrDefault(), GanGraph.sampler(spec, MNIST, sd));
      try (INDArray a = model.generate(3, 9);
          INDArray b = model.generate(3, 9)) {
        assertThat(a.shape()).containsExactly(3, 1, 28, 28);
        assertThat(a).as("same seed, same images").isEqualTo(b);
      }
    }
  }

  @Test
  void shouldReachColourImagesOf32PixelsWithThreeGeneratorLayers() {
    GanSpec spec =
        new GanSpec(
            GanSpec.Architecture.CONVOLUTIONAL,
            8,
            new GanSpec.Network(List.of(8, 8, 4), null, null),
            new GanSpec.Network(List.of(4, 8, 8), null, null),
            null,
            null);
    List<Integer> cifar = List.of(3, 32, 32);
    SameDiff sd = GanGraph.training(spec, cifar, 1);
    Map<String, INDArray> out =
        sd.output(
            Map.of(
                GanGraph.REAL,
                Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32),
                GanGraph.NOISE,
                GanModel.noise(2, 8, new Random(1))),
            GanGraph.FAKE,
            GanGraph.REAL_LOGITS);
    assertThat(out.get(GanGraph.FAKE).shape()).containsExactly(2, 3, 32, 32);
    assertThat(out.get(GanGraph.REAL_LOGITS).shape()).containsExactly(2, 1);
  }

  @Test
  void shouldTrainEachNetworkOnlyOnItsOwnLoss() {
    for (String loss : List.of(GanGraph.D_LOSS, GanGraph.G_LOSS)) {
      SameDiff sd = GanGraph.training(dense(0, 1), MNIST, 1);
      sd.setLossVariables(loss);
      List<String> generator = GanGraph.params(sd, GanGraph.GENERATOR);
      List<String> discriminator = GanGraph.params(sd, GanGraph.DISCRIMINATOR);
      List<String> all = new ArrayList<>(generator);
      all.addAll(discriminator);
      Map<String, INDArray> gradients =
          sd.calculateGradients(
              Map.of(
                  GanGraph.REAL,
                  Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28),
                  GanGraph.NOISE,
                  GanModel.noise(8, 16, new Random(1))),
              all);
      List<String> trained = loss.equals(GanGraph.D_LOSS) ? discriminator : generator;
      for (String p : all) {
        double norm = gradients.get(p).norm2Number().doubleValue();
        if (trained.contains(p)) {
          assertThat(norm).as("%s moves %s", loss, p).isPositive();
        } else {
          assertThat(norm).as("%s leaves %s alone", loss, p).isZero();
        }
      }
    }
  }

  @Test
  void shouldTrainTheDiscriminatorOnRealTargetOneMinusTheLabelSmoothing() {
    for (double smoothing : new double[] {0.0, 0.2}) {
      SameDiff sd = GanGraph.training(dense(smoothing, 1), MNIST, 3);
      Map<String, INDArray> out =
          sd.output(
              Map.of(
                  GanGraph.REAL,
                  Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28),
                  GanGraph.NOISE,
                  GanModel.noise(8, 16, new Random(2))),
              GanGraph.REAL_LOGITS,
              GanGraph.FAKE_LOGITS,
              GanGraph.D_LOSS);
      double expected =
          bce(out.get(GanGraph.REAL_LOGITS), 1 - smoothing) + bce(out.get(GanGraph.FAKE_LOGITS), 0);
      assertThat(out.get(GanGraph.D_LOSS).getDouble(0))
          .as("smoothing %s", smoothing)
          .isCloseTo(expected, within(1e-4));
    }
  }

  /** Mean binary cross-entropy of sigmoid(logits) against {@code target}. */
  static double bce(INDArray logits, double target) {
    double sum = 0;
    double[] l = logits.toDoubleVector();
    for (double x : l) {
      double p = 1 / (1 + Math.exp(-x));
      sum -= target * Math.log(p) + (1 - target) * Math.log(1 - p);
    }
    return sum / l.length;
  }

  @Test
  void shouldChangeBothLossesAndTellRealFromFakeAfterSomeTraining() {
    InMemoryMetricRecorder metrics = new InMemoryMetricRecorder();
    Grids grids = new Grids();
    GanSpec spec = dense(0.1, 1);
    TrainedModel model =
        trainer(metrics, grids)
            .train(
                new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, training(3, 320)),
                TrainingFixtures.runToEnd(),
                CheckpointStore.none());

    assertThat(metrics.values("loss")).as("one point per iteration").hasSize(30);
    List<Double> dLoss = metrics.values("d_loss");
    List<Double> gLoss = metrics.values("g_loss");
    assertThat(dLoss).hasSize(3);
    assertThat(gLoss).hasSize(3);
    assertThat(dLoss.get(2)).isNotCloseTo(dLoss.get(0), within(1e-3));
    assertThat(gLoss.get(2)).isNotCloseTo(gLoss.get(0), within(1e-3));
    assertThat(metrics.values("d_real").get(2)).isGreaterThan(metrics.values("d_fake").get(2));
    assertThat(metrics.values("sample_diversity")).hasSize(3).allMatch(r -> r > 0);
    assertThat(metrics.values("samples_per_second")).hasSize(3);
    assertThat(metrics.values("epoch_seconds")).hasSize(3);
    assertThat(grids.images.keySet()).containsExactly(1, 2, 3);
    assertThat(grids.images.get(3)).isNotEqualTo(grids.images.get(1));

    assertThat(model.mediaType()).isEqualTo(SameDiffArtifacts.MEDIA_TYPE);
    assertThat(model.inputShape()).containsExactly(1, 28, 28);
    assertThat(model.metrics())
        .containsKeys("d_loss", "g_loss", "d_real", "d_fake", "sample_diversity")
        .containsEntry("frechet_distance", 1.5);
    assertThat(metrics.series("frechet_distance"))
        .singleElement()
        .satisfies(p -> assertThat(p.step()).isEqualTo(3));
    GenerativeModel loaded = new GanKind().load(version(spec), model.artifact());
    try (INDArray images = loaded.generate(4, 1)) {
      assertThat(images.shape()).containsExactly(4, 1, 28, 28);
    }
  }

  @Test
  void shouldStopWhenTheJobIsCancelled() {
    GanTrainer trainer = trainer(new InMemoryMetricRecorder(), new Grids());
    TrainingRequest request =
        new TrainingRequest(UUID.randomUUID(), "fashion-mnist", dense(0, 1), training(2, 320));
    assertThatThrownBy(
            () ->
                trainer.train(
                    request,
                    TrainingFixtures.stopWhen(check -> check == 3),
                    CheckpointStore.none()))
        .isInstanceOf(TrainingCancelledException.class)
        .hasMessageContaining("epoch 1, iteration 3");
  }

  @Test
  void shouldStepTheGeneratorEveryKthIteration() {
    GanSpec spec = dense(0, 3);
    SameDiff sd = GanGraph.training(spec, MNIST, 1);
    GanSteps steps = new GanSteps(sd, spec, 0);
    String g = GanGraph.params(sd, GanGraph.GENERATOR).get(0);
    String d = GanGraph.params(sd, GanGraph.DISCRIMINATOR).get(0);
    List<Boolean> generatorMoved = new ArrayList<>();
    INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
    for (int i = 0; i < 6; i++) {
      INDArray gBefore = sd.getArrForVarName(g).dup();
      INDArray dBefore = sd.getArrForVarName(d).dup();
      steps.step(x, GanModel.noise(8, 16, new Random(i)), 1);
      generatorMoved.add(!sd.getArrForVarName(g).equals(gBefore));
      assertThat(sd.getArrForVarName(d)).as("discriminator at step %d", i).isNotEqualTo(dBefore);
    }
    assertThat(generatorMoved).containsExactly(false, false, true, false, false, true);
  }

  @Test
  void shouldResumeFromAnEpochCheckpointToTheSameModelAsAnUninterruptedRun() {
    GanSpec spec = convolutional();
    InMemoryCheckpointStore straight = new InMemoryCheckpointStore(Integer.MAX_VALUE);
    TrainedModel uninterrupted =
        train(spec, training(2, 96), new InMemoryMetricRecorder(), straight);
    assertThat(straight.saved()).hasSize(2);

    InMemoryCheckpointStore store = new InMemoryCheckpointStore(Integer.MAX_VALUE);
    train(spec, training(1, 96), new InMemoryMetricRecorder(), store);
    assertThat(store.saved()).hasSize(1);
    InMemoryMetricRecorder resumedMetrics = new InMemoryMetricRecorder();
    TrainedModel resumed = train(spec, training(2, 96), resumedMetrics, store);

    assertThat(resumedMetrics.values("d_loss")).as("only epoch 2 is trained again").hasSize(1);
    SameDiff a = SameDiffArtifacts.load(uninterrupted.artifact(), false);
    SameDiff b = SameDiffArtifacts.load(resumed.artifact(), false);
    int compared = 0;
    for (SDVariable v : a.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE
          || v.getVariableType() == VariableType.CONSTANT) {
        assertThat(b.getArrForVarName(v.name())).as(v.name()).isEqualTo(v.getArr());
        compared++;
      }
    }
    assertThat(compared).as("weights and running batch-norm statistics").isGreaterThan(10);
    assertThat(resumed.metrics()).isEqualTo(uninterrupted.metrics());
    try (INDArray images = new GanKind().load(version(spec), resumed.artifact()).generate(2, 1)) {
      assertThat(images.shape()).containsExactly(2, 1, 28, 28);
    }
  }

  @Test
  void shouldCallOnlyAFarLessDiverseBatchThanTheDataCollapsed() {
    INDArray real = Nd4j.rand(DataType.FLOAT, 64, 1, 28, 28);
    INDArray one = Nd4j.rand(DataType.FLOAT, 1, 1, 28, 28);
    INDArray collapsed = one.repeat(0, 64).add(Nd4j.rand(DataType.FLOAT, 64, 1, 28, 28).mul(0.01));
    INDArray diverse = Nd4j.rand(DataType.FLOAT, 64, 1, 28, 28);

    assertThat(SampleDiversity.ratio(collapsed, real)).isLessThan(SampleDiversity.COLLAPSE_RATIO);
    assertThat(SampleDiversity.ratio(diverse, real)).isCloseTo(1.0, within(0.05));
    assertThat(SampleDiversity.collapseWarning(4, 1.0, 10.0))
        .contains("epoch 4", "ratio 0.10", "learningRate", "labelSmoothing", "discriminatorSteps");
  }

  @Test
  void shouldMeasureTheMeanDistanceOverDistinctPairs() {
    // (0,0), (3,4), (6,8): distances 5, 10, 5.
    INDArray points = Nd4j.create(new float[] {0, 0, 3, 4, 6, 8}, new long[] {3, 2}, 'c');
    assertThat(SampleDiversity.meanPairwiseDistance(points)).isCloseTo(20.0 / 3, within(1e-6));
  }

  static ModelVersion version(GanSpec spec) {
    return new ModelVersion(
        UUID.randomUUID(),
        "gan",
        1,
        UUID.randomUUID(),
        "fashion-mnist",
        spec,
        null,
        List.of(),
        MNIST,
        null,
        Map.of(),
        null,
        UUID.randomUUID(),
        null,
        io.deeptrain.model.ModelSource.JOB,
        null,
        null);
  }
}
