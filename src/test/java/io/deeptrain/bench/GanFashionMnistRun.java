package io.deeptrain.bench;

import io.deeptrain.dataset.ImageCatalogs;
import io.deeptrain.fixtures.InMemoryCheckpointStore;
import io.deeptrain.fixtures.TrainingFixtures;
import io.deeptrain.generative.GanTrainer;
import io.deeptrain.generative.GenerativeRuns;
import io.deeptrain.generative.SampleQuality;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.TrainingControl;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a GAN on Fashion-MNIST in-process and prints its per-epoch figures (losses, D(x), D(G(z)),
 * sample diversity, samples/s, epoch time); writes each epoch's sample grid to {@code
 * <out>/gan-e<N>.png} and the last to {@code <out>/gan-samples.png}.
 *
 * <p>Run with {@code bench/gan-fashion '<spec json>' '<training json>' [out dir]}. Not a test.
 */
public final class GanFashionMnistRun {

  private GanFashionMnistRun() {}

  public static void main(String[] args) throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    ModelSpec spec = json.readValue(args[0], ModelSpec.class);
    TrainingSpec training = json.readValue(args[1], TrainingSpec.class).resolved();
    Path out = Path.of(args.length > 2 ? args[2] : "/tmp");
    Files.createDirectories(out);
    Map<Integer, Map<String, Double>> rows = new TreeMap<>();
    MetricRecorder recorder =
        (job, name, step, epoch, value) -> {
          if (!name.equals("loss")) {
            rows.computeIfAbsent(epoch, e -> new TreeMap<>()).put(name, value);
          }
          if (name.equals("epoch_seconds")) {
            System.out.printf("epoch %d %s%n", epoch, rows.get(epoch));
          }
        };
    TrainingSamples samples =
        new TrainingSamples() {
          @Override
          public void record(UUID jobId, int epoch, String text) {}

          @Override
          public void recordImage(UUID jobId, int epoch, byte[] png) {
            try {
              Files.write(out.resolve("gan-e" + epoch + ".png"), png);
              Files.write(out.resolve("gan-samples.png"), png);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    TrainingControl control =
        new TrainingControl() {
          @Override
          public boolean stopRequested() {
            return false;
          }

          @Override
          public void epochCompleted(int epochsDone, int epochsTotal) {}

          @Override
          public void warn(String message) {
            System.out.println("WARNING: " + message);
          }
        };
    GanTrainer trainer =
        new GanTrainer(
            new GenerativeRuns(
                ImageCatalogs.withSystemDatasets(),
                recorder,
                TrainingFixtures.metricProperties(100),
                samples,
                new StaticListableBeanFactory().getBeanProvider(SampleQuality.class)));
    long start = System.nanoTime();
    trainer.train(
        new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, training),
        control,
        new InMemoryCheckpointStore(Integer.MAX_VALUE));
    System.out.printf("total %.1f s%n", (System.nanoTime() - start) / 1e9);
  }
}
