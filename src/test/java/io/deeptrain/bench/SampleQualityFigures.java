package io.deeptrain.bench;

import io.deeptrain.DeeptrainApplication;
import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.Examples;
import io.deeptrain.generative.GenerativeModel;
import io.deeptrain.generative.SampleQuality;
import io.deeptrain.model.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue #6's reference figures for reading a generative model's Fréchet distance on Fashion-MNIST
 * with the default {@code deeptrain.quality.*} settings: uniform noise vs. test images, test half
 * vs. half, and real training images vs. test images, with the reference classifier's test accuracy
 * and training time (trained from scratch on a fresh database).
 *
 * <p>Run with {@code bench/sample-quality}; writes bench/results/sample-quality-DATE.txt. Not a
 * test: it never runs in {@code mvn verify}.
 */
public final class SampleQualityFigures {

  private static final String DATASET = "fashion-mnist";

  private SampleQualityFigures() {}

  public static void main(String[] args) throws Exception {
    Path pg = Files.createTempDirectory("deeptrain-quality-bench");
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(DeeptrainApplication.class)
            .properties(
                "server.port=0",
                "deeptrain.embedded-postgres.data-dir=" + pg,
                "deeptrain.embedded-postgres.clean-on-start=true",
                "logging.level.root=WARN",
                "logging.level.io.deeptrain.generative=INFO")
            .run()) {
      SampleQuality quality = app.getBean(SampleQuality.class);
      DatasetCatalog datasets = app.getBean(DatasetCatalog.class);
      Examples train = datasets.open(DATASET, DatasetCatalog.DEFAULT_TEST_FRACTION, 1).train();

      long start = System.nanoTime();
      Map<String, Double> first = quality.measure(DATASET, new TrainingImages(train), 1);
      double firstSeconds = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      Map<String, Double> second = quality.measure(DATASET, new TrainingImages(train), 2);
      double secondSeconds = (System.nanoTime() - start) / 1e9;
      double trainSeconds =
          app.getBean(JdbcClient.class)
              .sql("SELECT train_seconds FROM reference_classifiers WHERE dataset = :d")
              .param("d", DATASET)
              .query(Double.class)
              .single();

      String table =
          """
          Fashion-MNIST sample-quality reference figures (%s, OMP_NUM_THREADS=%s)
          reference classifier: test accuracy %.4f, trained in %.1f s
          FD(noise vs test)          %.3f
          FD(test half vs half)      %.3f
          FD(train images vs test)   %.3f (seed 1), %.3f (seed 2)
          reference confidence on train images %.4f
          measure(): %.1f s first call (incl. training the reference), %.1f s after
          """
              .formatted(
                  LocalDate.now(),
                  System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                  first.get("reference_accuracy"),
                  trainSeconds,
                  first.get("frechet_distance_noise"),
                  first.get("frechet_distance_test"),
                  first.get("frechet_distance"),
                  second.get("frechet_distance"),
                  first.get("reference_confidence"),
                  firstSeconds,
                  secondSeconds);
      System.out.print(table);
      Path out = Path.of("bench/results/sample-quality-" + LocalDate.now() + ".txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, table);
    }
  }

  /** Real training images drawn by the seed: what a perfect generator would produce. */
  private record TrainingImages(Examples train) implements GenerativeModel {

    @Override
    public ModelVersion version() {
      return null;
    }

    @Override
    public List<Integer> imageShape() {
      return train.shape();
    }

    @Override
    public INDArray generate(int n, long seed) {
      Random random = new Random(seed);
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = random.nextInt(train.size());
      }
      return train.features(rows);
    }
  }
}
