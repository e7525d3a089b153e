package io.deeptrain.generative;

import static io.deeptrain.fixtures.TrainingFixtures.runToEnd;
import static io.deeptrain.fixtures.TrainingFixtures.stopWhen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.ImageCatalogs;
import io.deeptrain.fixtures.InMemoryCheckpointStore;
import io.deeptrain.fixtures.InMemoryMetricRecorder;
import io.deeptrain.fixtures.TrainingFixtures;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.spec.VaeSpec;
import io.deeptrain.training.TrainedModel;
import io.deeptrain.training.TrainingCancelledException;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingSamples;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The VAE loop on a few hundred Fashion-MNIST images: it learns, records, and resumes exactly. */
class VaeTrainerTests {

  private static final DatasetCatalog CATALOG = ImageCatalogs.withSystemDatasets();

  @BeforeAll
  static void fashionMnist() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
  }

  /** Keeps each epoch's PNG. */
  static final class Pngs implements TrainingSamples {
    final Map<Integer, byte[]> images = new TreeMap<>();

    @Override
    public void record(UUID jobId, int epoch, String text) {}

    @Override
    public synchronized void recordImage(UUID jobId, int epoch, byte[] png) {
      images.put(epoch, png);
    }
  }

  static TrainingSpec training(int epochs, int examples) {
    TrainingSpec t = TrainingFixtures.training(Optimizer.ADAM, 0.002, epochs, 50, 7);
    return new TrainingSpec(
        t.epochs(),
        t.batchSize(),
        t.optimizer(),
        t.learningRate(),
        t.momentum(),
        t.beta1(),
        t.beta2(),
        t.epsilon(),
        t.rho(),
        t.l1(),
        t.l2(),
        t.seed(),
        t.testFraction(),
        examples,
        200,
        null,
        t.weightDecay(),
        null,
        null);
  }

  static VaeTrainer trainer(InMemoryMetricRecorder metrics, TrainingSamples samples) {
    return new VaeTrainer(
        new GenerativeRuns(
            CATALOG,
            metrics,
            TrainingFixtures.metricProperties(1),
            samples,
            new StaticListableBeanFactory().getBeanProvider(SampleQuality.class)));
  }

  static VaeSpec dense(VaeSpec.LatentLoss loss) {
    return new VaeSpec(
        VaeSpec.Architecture.DENSE, List.of(128), 8, VaeSpec.Reconstruction.BERNOULLI, loss, 1.0);
  }

  @Test
  void shouldLowerTheLossOnFashionMnistAndRecordASampleGridPerEpoch() throws Exception {
    for (VaeSpec.LatentLoss latent : VaeSpec.LatentLoss.values()) {
      InMemoryMetricRecorder metrics = new InMemoryMetricRecorder();
      Pngs pngs = new Pngs();
      TrainedModel model =
          trainer(metrics, pngs)
              .train(
                  new TrainingRequest(
                      UUID.randomUUID(), "fashion-mnist", dense(latent), training(3, 400)),
                  runToEnd(),
                  new InMemoryCheckpointStore(0));
      List<Double> loss = metrics.values("loss");
      assertThat(loss).hasSize(3 * 8);
      double first = loss.subList(0, 3).stream().mapToDouble(d -> d).average().orElseThrow();
      double lastThree =
          loss.subList(loss.size() - 3, loss.size()).stream()
              .mapToDouble(d -> d)
              .average()
              .orElseThrow();
      assertThat(lastThree).as(latent + " loss " + loss).isLessThan(first * 0.8);
      List<Double> test = metrics.values("test_loss");
      assertThat(test).hasSize(3);
      assertThat(test.get(2)).isLessThan(test.get(0));
      for (String name :
          List.of(
              "train_loss",
              "reconstruction_loss",
              "latent_loss",
              "samples_per_second",
              "epoch_seconds")) {
        assertThat(metrics.values(name)).as(name).hasSize(3);
      }
      assertThat(model.mediaType()).isEqualTo(SameDiffArtifacts.MEDIA_TYPE);
      assertThat(model.inputShape()).containsExactly(1, 28, 28);
      assertThat(model.labels()).hasSize(10);
      assertThat(model.metrics()).containsKeys("test_loss", "latent_loss");
      assertThat(pngs.images).containsOnlyKeys(1, 2, 3);
      var grid = ImageIO.read(new ByteArrayInputStream(pngs.images.get(3)));
      assertThat(grid.getWidth())
          .isEqualTo(io.deeptrain.dataset.ImageCodec.gridSize(8, 28, ImageGrids.GAP));
      assertThat(grid.getHeight())
          .isEqualTo(io.deeptrain.dataset.ImageCodec.gridSize(8, 28, ImageGrids.GAP));

      VaeModel vae = VaeModel.load(null, dense(latent), model.inputShape(), model.artifact());
      try (INDArray a = vae.generate(5, 11);
          INDArray b = vae.generate(5, 11);
          INDArray c = vae.generate(5, 12)) {
        assertThat(a.shape()).containsExactly(5, 1, 28, 28);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
      }
    }
  }

  @Test
  void shouldResumeFromTheLastEpochCheckpointAndEndWhereAnUninterruptedRunEnds() {
    VaeSpec spec = dense(VaeSpec.LatentLoss.KL);
    TrainingSpec t = training(2, 200);
    InMemoryMetricRecorder whole = new InMemoryMetricRecorder();
    TrainedModel straight =
        trainer(whole, TrainingSamples.none())
            .train(
                new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, t),
                runToEnd(),
                new InMemoryCheckpointStore(0));

    InMemoryCheckpointStore store = new InMemoryCheckpointStore(0);
    // 4 batches per epoch: stop in the middle of epoch 2.
    assertThatThrownBy(
            () ->
                trainer(new InMemoryMetricRecorder(), TrainingSamples.none())
                    .train(
                        new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, t),
                        stopWhen(n -> n == 6),
                        store))
        .isInstanceOf(TrainingCancelledException.class);
    assertThat(store.saved()).hasSize(1);
    InMemoryMetricRecorder resumedMetrics = new InMemoryMetricRecorder();
    TrainedModel resumed =
        trainer(resumedMetrics, TrainingSamples.none())
            .train(
                new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, t),
                runToEnd(),
                store);
    assertThat(resumedMetrics.values("test_loss")).hasSize(1);
    assertThat(resumed.metrics().get("test_loss"))
        .isCloseTo(straight.metrics().get("test_loss"), org.assertj.core.data.Offset.offset(1e-3));
    VaeModel a = VaeModel.load(null, spec, straight.inputShape(), straight.artifact());
    VaeModel b = VaeModel.load(null, spec, resumed.inputShape(), resumed.artifact());
    try (INDArray x = a.generate(4, 1);
        INDArray y = b.generate(4, 1)) {
      assertThat(x.sub(y).amaxNumber().doubleValue()).isLessThan(1e-4);
    }
  }

  @Test
  void shouldInpaintKeepingTheKnownPixelsExactly() {
    VaeSpec spec = dense(VaeSpec.LatentLoss.KL);
    TrainedModel model =
        trainer(new InMemoryMetricRecorder(), TrainingSamples.none())
            .train(
                new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, training(2, 300)),
                runToEnd(),
                new InMemoryCheckpointStore(0));
    VaeModel vae = VaeModel.load(null, spec, model.inputShape(), model.artifact());
    var split = CATALOG.open("fashion-mnist", 0.2, 7);
    try (INDArray image = split.test().features(new int[] {0})) {
      INDArray known = Nd4j.ones(image.shape());
      // Erase the bottom half.
      known
          .get(
              org.nd4j.linalg.indexing.NDArrayIndex.all(),
              org.nd4j.linalg.indexing.NDArrayIndex.all(),
              org.nd4j.linalg.indexing.NDArrayIndex.interval(14, 28),
              org.nd4j.linalg.indexing.NDArrayIndex.all())
          .assign(0);
      INDArray completed = vae.inpaint(image, known, 5);
      assertThat(completed.shape()).containsExactly(1, 1, 28, 28);
      assertThat(completed.mul(known)).isEqualTo(image.mul(known));
      assertThat(vae.inpaint(image, known, 5)).isEqualTo(completed);
      INDArray erased = known.rsub(1.0);
      double filled = completed.mul(erased).sumNumber().doubleValue();
      assertThat(filled).as("something is drawn where pixels were erased").isGreaterThan(1.0);
      // Closer to the truth than a grey fill.
      double error = completed.sub(image).mul(erased).norm2Number().doubleValue();
      double grey = image.rsub(0.5).mul(erased).norm2Number().doubleValue();
      assertThat(error).isLessThan(grey);
    }
  }
}
