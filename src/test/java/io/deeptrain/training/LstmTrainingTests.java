package io.deeptrain.training;

import static io.deeptrain.fixtures.TrainingFixtures.metricProperties;
import static io.deeptrain.fixtures.TrainingFixtures.runToEnd;
import static io.deeptrain.fixtures.TrainingFixtures.training;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.fixtures.InMemoryMetricRecorder;
import io.deeptrain.fixtures.TrainingFixtures;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.spec.GradientClipping;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.spec.TrainingSpec;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An LSTM reading Fashion-MNIST images as 28 steps of 28 pixels learns in a short run. */
@Tag("slow")
class LstmTrainingTests {

  private static final DatasetCatalog CATALOG =
      io.deeptrain.dataset.ImageCatalogs.withSystemDatasets();

  @BeforeAll
  static void requireFashionMnist() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
  }

  private final InMemoryMetricRecorder recorder = new InMemoryMetricRecorder();
  private final TrainingRunner runner =
      new TrainingRunner(
          CATALOG,
          new MlpBuilder(),
          new CnnBuilder(new SpecGeometry()),
          new LstmBuilder(),
          recorder,
          metricProperties(10));

  @Test
  void shouldLearnFashionMnistReadAsRowsInOneShortRun() throws Exception {
    LstmSpec spec =
        new LstmSpec(List.of(new LstmSpec.LstmLayer(64)), false, 0.0, null, null, null, null);
    TrainingSpec base = training(Optimizer.ADAM, 0.005, 2, 64, 7);
    TrainingSpec t =
        TrainingFixtures.with(
            new TrainingSpec(
                    base.epochs(),
                    base.batchSize(),
                    base.optimizer(),
                    base.learningRate(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    0.0,
                    base.seed(),
                    null,
                    3000,
                    1000,
                    null,
                    null,
                    null,
                    null)
                .resolved(),
            null,
            null,
            new GradientClipping(GradientClipping.Type.NORM, 1.0),
            null);

    TrainedModel model =
        runner.train(new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, t), runToEnd());

    assertThat(model.metrics().get("test_accuracy")).isGreaterThanOrEqualTo(0.6);
    assertThat(model.inputShape()).containsExactly(1, 28, 28);
    assertThat(recorder.values("test_accuracy")).hasSize(2);
    // The artifact takes [n, 28 features, 28 steps] and agrees with what training measured.
    MultiLayerNetwork net =
        ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.artifact()));
    DatasetSplit split = CATALOG.open("fashion-mnist", t.testFraction(), t.seed());
    int[] rows = java.util.stream.IntStream.range(0, 200).toArray();
    long right = 0;
    try (INDArray images = split.test().features(rows);
        INDArray seq = LstmBuilder.rowsAsSequence(images)) {
      assertThat(seq.shape()).containsExactly(200, 28, 28);
      INDArray predicted = net.output(seq).argMax(1);
      for (int r = 0; r < rows.length; r++) {
        if (predicted.getInt(r) == split.test().labels()[r]) {
          right++;
        }
      }
    }
    assertThat(right).isGreaterThanOrEqualTo(110);
    net.close();
  }
}
