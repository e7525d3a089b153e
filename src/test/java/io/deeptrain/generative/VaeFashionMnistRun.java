package io.deeptrain.generative;

import io.deeptrain.dataset.ImageCatalogs;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.CheckpointStore;
import io.deeptrain.training.TrainedModel;
import io.deeptrain.training.TrainingControl;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A VAE trained in-process on the whole of Fashion-MNIST: prints each epoch's losses, samples/s and
 * seconds, and writes the last epoch's 8 x 8 sample grid.
 *
 * <p>Run with {@code bench/vae-fashion SPEC_JSON TRAINING_JSON OUT.png}. Not a test: it never runs
 * in {@code mvn verify}.
 */
public final class VaeFashionMnistRun {

  private VaeFashionMnistRun() {}

  public static void main(String[] args) throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    ModelSpec spec = json.readValue(args[0], ModelSpec.class);
    TrainingSpec training = json.readValue(args[1], TrainingSpec.class).resolved();
    Path out = Path.of(args.length > 2 ? args[2] : "/tmp/vae-samples.png");
    Map<Integer, Map<String, Double>> epochs = new TreeMap<>();
    MetricRecorder metrics =
        (jobId, name, step, epoch, value) -> {
          if (!name.equals("loss")) {
            epochs.computeIfAbsent(epoch, e -> new TreeMap<>()).put(name, value);
          }
          if (name.equals("epoch_seconds")) {
            System.out.printf("epoch %d %s%n", epoch, epochs.get(epoch));
          }
        };
    TrainingSamples samples =
        new TrainingSamples() {
          @Override
          public void record(UUID jobId, int epoch, String text) {}

          @Override
          public void recordImage(UUID jobId, int epoch, byte[] png) {
            try {
              Files.write(out, png);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    VaeTrainer trainer =
        new VaeTrainer(
            new GenerativeRuns(
                ImageCatalogs.withSystemDatasets(),
                metrics,
                new io.deeptrain.metric.MetricProperties(
                    20_000, 500, Duration.ofMillis(250), 100, Duration.ofSeconds(60)),
                samples,
                new StaticListableBeanFactory().getBeanProvider(SampleQuality.class)));
    long start = System.nanoTime();
    TrainedModel model =
        trainer.train(
            new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, training),
            new TrainingControl() {
              @Override
              public boolean stopRequested() {
                return false;
              }

              @Override
              public void epochCompleted(int epochsDone, int epochsTotal) {}
            },
            CheckpointStore.none());
    System.out.printf(
        "total %.1f s; final %s; grid %s%n",
        (System.nanoTime() - start) / 1e9, model.metrics(), out);
  }
}
