package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.Examples;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.model.ModelVersion;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reference classifier on the real PostgreSQL (trained on a 2000-image subset of Fashion-MNIST
 * in the test profile), and what {@link SampleQuality} says about real images and noise.
 */
@IntegrationTest
class SampleQualityIntegrationTests {

  private static final String DATASET = "fashion-mnist";

  @Autowired SampleQuality quality;
  @Autowired ReferenceClassifiers references;
  @Autowired DatasetCatalog datasets;
  @Autowired MlpBuilder mlpBuilder;
  @Autowired CnnBuilder cnnBuilder;
  @Autowired LstmBuilder lstmBuilder;
  @Autowired MetricProperties metricProperties;
  @Autowired JdbcClient jdbc;
  @Autowired QualityProperties properties;
  @Autowired ComputeBackend compute;

  @Test
  void shouldTrainTheReferenceClassifierOnceAndReuseItAfterARestart() {
    int trainedBefore = references.trainedCount();

    // Two concurrent first requests share one training run.
    CompletableFuture<ReferenceClassifiers.Reference> first =
        CompletableFuture.supplyAsync(() -> references.get(DATASET));
    CompletableFuture<ReferenceClassifiers.Reference> second =
        CompletableFuture.supplyAsync(() -> references.get(DATASET));
    ReferenceClassifiers.Reference reference = first.join();

    assertThat(second.join()).isSameAs(reference);
    assertThat(references.trainedCount() - trainedBefore).isLessThanOrEqualTo(1);
    assertThat(
            jdbc.sql("SELECT count(*) FROM reference_classifiers WHERE dataset = :d")
                .param("d", DATASET)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    // Trained on 2000 images for 2 epochs, it still tells clothes apart far better than chance.
    assertThat(reference.testAccuracy()).isGreaterThan(0.6);

    // A new instance (as after a restart) loads the stored network instead of training one.
    ReferenceClassifiers restarted =
        new ReferenceClassifiers(
            datasets,
            mlpBuilder,
            cnnBuilder,
            lstmBuilder,
            metricProperties,
            jdbc,
            properties,
            compute);
    ReferenceClassifiers.Reference reloaded = restarted.get(DATASET);

    assertThat(restarted.trainedCount()).isZero();
    assertThat(reloaded.createdAt()).isEqualTo(reference.createdAt());
    assertThat(reloaded.testAccuracy()).isEqualTo(reference.testAccuracy());
  }

  @Test
  void shouldScoreRealImagesNearTheTestFloorAndFarBelowNoise() {
    Map<String, Double> real = quality.measure(DATASET, new TrainingImages(), 11);

    assertThat(real)
        .containsKeys(
            "frechet_distance",
            "frechet_distance_noise",
            "frechet_distance_test",
            "reference_confidence");
    double floor = real.get("frechet_distance_test");
    assertThat(floor).isPositive();
    assertThat(real.get("frechet_distance")).isLessThan(3 * floor);
    assertThat(real.get("frechet_distance")).isLessThan(0.2 * real.get("frechet_distance_noise"));
    assertThat(real.get("reference_confidence")).isGreaterThan(0.6);
  }

  @Test
  void shouldScoreANoiseModelLikeTheNoiseBound() {
    Map<String, Double> noise = quality.measure(DATASET, new NoiseModel(), 12);
    Map<String, Double> real = quality.measure(DATASET, new TrainingImages(), 12);

    assertThat(noise.get("frechet_distance"))
        .isBetween(
            0.8 * noise.get("frechet_distance_noise"), 1.25 * noise.get("frechet_distance_noise"));
    assertThat(noise.get("frechet_distance")).isGreaterThan(5 * real.get("frechet_distance"));
  }

  @Test
  void shouldGiveTheSameFiguresForTheSameSeed() {
    assertThat(quality.measure(DATASET, new NoiseModel(), 5))
        .isEqualTo(quality.measure(DATASET, new NoiseModel(), 5));
  }

  @Test
  void shouldRefuseAModelWhoseImagesDoNotFitTheDataset() {
    GenerativeModel wrong =
        new NoiseModel() {
          @Override
          public List<Integer> imageShape() {
            return List.of(3, 32, 32);
          }
        };

    assertThatThrownBy(() -> quality.measure(DATASET, wrong, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[3, 32, 32]")
        .hasMessageContaining("[1, 28, 28]");
  }

  /** A "model" that returns real Fashion-MNIST training images, chosen by the seed. */
  private class TrainingImages implements GenerativeModel {

    @Override
    public ModelVersion version() {
      return null;
    }

    @Override
    public List<Integer> imageShape() {
      return List.of(1, 28, 28);
    }

    @Override
    public INDArray generate(int n, long seed) {
      Examples train = datasets.open(DATASET, 0.2, 1).train();
      Random random = new Random(seed);
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = random.nextInt(train.size());
      }
      return train.features(rows);
    }
  }

  /** A "model" that learned nothing: uniform noise. */
  private static class NoiseModel implements GenerativeModel {

    @Override
    public ModelVersion version() {
      return null;
    }

    @Override
    public List<Integer> imageShape() {
      return List.of(1, 28, 28);
    }

    @Override
    public INDArray generate(int n, long seed) {
      Random random = new Random(seed);
      float[] pixels = new float[n * 28 * 28];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextFloat();
      }
      return Nd4j.create(pixels, new long[] {n, 1, 28, 28}, 'c');
    }
  }
}
