package io.deeptrain.bench;

import io.deeptrain.generative.DiffusionKind;
import io.deeptrain.generative.DiffusionModel;
import io.deeptrain.generative.DiffusionTrainer;
import io.deeptrain.generative.GenerativeRuns;
import io.deeptrain.generative.ImageGrids;
import io.deeptrain.generative.SampleQuality;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.DiffusionSpec;
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
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue #6's diffusion figures: training speed of a denoiser on Fashion-MNIST (1 thread), sampling
 * time of 64 images with DDIM and DDPM, and a grid of samples to look at.
 *
 * <p>Usage: {@code bench/diffusion-fashion SPEC_JSON TRAINING_JSON [OUT.png]}, e.g. {@code
 * bench/diffusion-fashion '{"type":"DIFFUSION","channels":[32,64]}'
 * '{"epochs":1,"batchSize":128,"learningRate":0.002,"maxTrainExamples":4096,"seed":1}'}. Not a
 * test: it never runs in {@code mvn verify}.
 */
public final class DiffusionFashionMnistRun {

  private DiffusionFashionMnistRun() {}

  public static void main(String[] args) throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    ModelSpec spec = json.readValue(args[0], ModelSpec.class);
    TrainingSpec training = json.readValue(args[1], TrainingSpec.class).resolved();
    Path out = Path.of(args.length > 2 ? args[2] : "/tmp/diffusion-samples.png");
    long start = System.nanoTime();
    MetricRecorder recorder =
        (job, name, step, epoch, value) -> {
          if (!name.equals("loss")) {
            System.out.printf(
                "epoch %d  %-20s %.5f   (elapsed %.0f s)%n",
                epoch, name, value, (System.nanoTime() - start) / 1e9);
          }
        };
    TrainingSamples samples =
        new TrainingSamples() {
          @Override
          public void record(UUID jobId, int epoch, String text) {}

          @Override
          public void recordImage(UUID jobId, int epoch, byte[] png) {
            try {
              Files.write(Path.of("/tmp/diffusion-epoch-" + epoch + ".png"), png);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };
    DiffusionTrainer trainer =
        new DiffusionTrainer(
            new GenerativeRuns(
                io.deeptrain.dataset.ImageCatalogs.withSystemDatasets(),
                recorder,
                new MetricProperties(
                    20_000, 500, Duration.ofMillis(250), 50, Duration.ofSeconds(60)),
                samples,
                new DefaultListableBeanFactory().getBeanProvider(SampleQuality.class)));
    TrainingControl control =
        new TrainingControl() {
          @Override
          public boolean stopRequested() {
            return false;
          }

          @Override
          public void epochCompleted(int epochsDone, int epochsTotal) {}
        };
    TrainedModel trained =
        trainer.train(
            new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, training),
            control,
            CheckpointStore.none());
    System.out.printf("training took %.1f s%n", (System.nanoTime() - start) / 1e9);
    Files.write(Path.of(out.toString().replace(".png", ".samediff")), trained.artifact());
    ModelVersion version =
        new ModelVersion(
            UUID.randomUUID(),
            "bench",
            1,
            null,
            "fashion-mnist",
            spec,
            training,
            trained.labels(),
            trained.inputShape(),
            null,
            trained.metrics(),
            null,
            null,
            Instant.now(),
            io.deeptrain.model.ModelSource.JOB,
            null,
            null);
    DiffusionModel model = (DiffusionModel) new DiffusionKind().load(version, trained.artifact());
    long t0 = System.nanoTime();
    INDArray ddim = model.sample(64, 50, DiffusionModel.Sampler.DDIM, 7, false).images();
    double ddimSeconds = (System.nanoTime() - t0) / 1e9;
    Files.write(out, ImageGrids.squareGrid(ddim));
    int t = ((DiffusionSpec) spec).timestepsOrDefault();
    int ddpmSteps = args.length > 3 ? Integer.parseInt(args[3]) : t;
    t0 = System.nanoTime();
    DiffusionModel.Samples ddpm = model.sample(64, ddpmSteps, DiffusionModel.Sampler.DDPM, 7, true);
    double ddpmSeconds = (System.nanoTime() - t0) / 1e9;
    Files.write(
        Path.of(out.toString().replace(".png", "-ddpm.png")), ImageGrids.squareGrid(ddpm.images()));
    Files.write(
        Path.of(out.toString().replace(".png", "-trajectory.png")),
        ImageGrids.strip(ddpm.trajectory()));
    System.out.printf(
        "sampling 64 images: DDIM 50 steps %.1f s, DDPM %d steps %.1f s; final metrics %s%n",
        ddimSeconds, ddpmSteps, ddpmSeconds, Map.copyOf(trained.metrics()));
    if (args.length > 4) {
      int n = Integer.parseInt(args[4]);
      t0 = System.nanoTime();
      model.generate(n, 11).close();
      System.out.printf(
          "generate(%d) (%s %d steps): %.1f s%n",
          n,
          DiffusionModel.GENERATE_SAMPLER,
          DiffusionModel.DEFAULT_STEPS,
          (System.nanoTime() - t0) / 1e9);
    }
  }
}
