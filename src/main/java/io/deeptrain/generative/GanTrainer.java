package io.deeptrain.generative;

import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.Examples;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.spec.GanSpec;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.CheckpointStore;
import io.deeptrain.training.EpochOrder;
import io.deeptrain.training.ResumePoint;
import io.deeptrain.training.SpecTrainer;
import io.deeptrain.training.TrainedModel;
import io.deeptrain.training.TrainingCancelledException;
import io.deeptrain.training.TrainingControl;
import io.deeptrain.training.TrainingFailedException;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingSamples;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Trains a {@link GanSpec} on an image dataset, on the calling (worker) thread.
 *
 * <p>Each iteration takes one batch of real images and as many noise vectors: the discriminator
 * steps on both, and every k-th iteration ({@code discriminatorSteps}) the generator steps on the
 * same fakes ({@link GanSteps}). The per-iteration {@code loss} is d_loss + g_loss of the batch,
 * the sum the graph minimises. Per epoch: the means over the epoch of {@code d_loss}, {@code
 * g_loss}, {@code d_real} (mean D(x)) and {@code d_fake} (mean D(G(z))), all measured in training
 * mode before each update; {@code sample_diversity} (see {@link SampleDiversity}); a PNG grid of 64
 * samples from noise fixed for the whole run, so the epochs compare; a checkpoint.
 *
 * <p>Reproducible: weights come from the seed, epoch e's example order and noise from (seed, e), so
 * the same seed gives the same run and a run resumed from an epoch checkpoint continues exactly.
 */
@Service
public class GanTrainer implements SpecTrainer {

  private static final Logger log = LoggerFactory.getLogger(GanTrainer.class);

  /** Samples in the per-epoch grid (8 x 8). */
  static final int GRID_SAMPLES = 64;

  /** Images per side of the mode-collapse check. */
  static final int DIVERSITY_SAMPLES = 256;

  private final GenerativeRuns runs;
  private final MetricRecorder metrics;
  private final TrainingSamples samples;

  public GanTrainer(GenerativeRuns runs) {
    this.runs = runs;
    this.metrics = runs.metrics();
    this.samples = runs.samples();
  }

  @Override
  public boolean trains(ModelSpec spec) {
    return spec instanceof GanSpec;
  }

  @Override
  public TrainedModel train(
      TrainingRequest request, TrainingControl control, CheckpointStore checkpoints) {
    GanSpec spec = (GanSpec) request.spec();
    TrainingSpec training = request.training().resolved();
    DatasetSplit data = runs.open(request.dataset(), training);
    List<Integer> shape = data.inputShape();
    int[] rows =
        EpochOrder.sample(data.train().size(), training.maxTrainExamples(), training.seed());
    try {
      Optional<GenerativeCheckpoints.Resumed> resumed =
          GenerativeCheckpoints.resume(checkpoints, rows.length);
      ResumePoint from =
          resumed.map(GenerativeCheckpoints.Resumed::from).orElse(ResumePoint.start());
      SameDiff graph =
          resumed
              .map(r -> GanGraph.restore(spec, shape, r.graph()))
              .orElseGet(() -> GanGraph.training(spec, shape, training.seed()));
      if (resumed.isPresent()) {
        log.info(
            "Job {} resumes its GAN after epoch {} (iteration {})",
            request.jobId(),
            from.epochsDone(),
            from.iteration());
      }
      control.starting(from);
      Map<String, Double> last =
          fit(
              request.jobId(),
              spec,
              graph,
              training,
              data.train(),
              rows,
              control,
              checkpoints,
              from);
      SameDiff sampler = GanGraph.sampler(spec, shape, graph);
      Map<String, Double> finals = new LinkedHashMap<>(last);
      finals.putAll(
          runs.measureQuality(
              request.jobId(),
              request.dataset(),
              new GanModel(null, shape, spec.latentSizeOrDefault(), sampler),
              training));
      return new TrainedModel(
          SameDiffArtifacts.save(sampler, false),
          SameDiffArtifacts.MEDIA_TYPE,
          data.classes(),
          shape,
          null,
          Map.copyOf(finals),
          null,
          "completed all " + training.epochs() + " epochs");
    } catch (TrainingCancelledException | TrainingFailedException e) {
      throw e;
    } catch (OutOfMemoryError e) {
      throw new TrainingFailedException(
          "ran out of memory while training the GAN ("
              + e.getMessage()
              + "); use a smaller batchSize or smaller hidden layers",
          e);
    } catch (RuntimeException e) {
      log.warn("GAN training of job {} failed", request.jobId(), e);
      throw new TrainingFailedException(
          "GAN training stopped by an unexpected error ("
              + e.getMessage()
              + "); check that the spec fits the dataset, and report it with the job id if it"
              + " happens again",
          e);
    }
  }

  private Map<String, Double> fit(
      UUID jobId,
      GanSpec spec,
      SameDiff graph,
      TrainingSpec training,
      Examples train,
      int[] rows,
      TrainingControl control,
      CheckpointStore checkpoints,
      ResumePoint from) {
    int epochs = training.epochs();
    int n = rows.length;
    int batchSize = Math.min(training.batchSize(), n);
    int latent = spec.latentSizeOrDefault();
    int logEvery = runs.iterationEvery();
    GanSteps steps = new GanSteps(graph, spec, from.iteration());
    Map<String, Double> last = from.lastMetrics();
    int[] order = new int[n];
    try (INDArray gridNoise =
            GanModel.noise(GRID_SAMPLES, latent, new Random(training.seed() ^ 0x6A09E667L));
        INDArray diversityNoise =
            GanModel.noise(DIVERSITY_SAMPLES, latent, new Random(training.seed() ^ 0xBB67AE85L));
        INDArray realSample =
            train.features(
                map(rows, EpochOrder.sample(n, DIVERSITY_SAMPLES, training.seed() + 3)))) {
      // One training image has no pairs: its diversity counts as the generator's (ratio 1).
      double realDiversity = n < 2 ? Double.NaN : SampleDiversity.meanPairwiseDistance(realSample);
      for (int epoch = from.epochsDone() + 1; epoch <= epochs; epoch++) {
        long epochStart = System.nanoTime();
        EpochOrder.fill(order, training.seed(), epoch);
        Random noise = new Random(training.seed() * 31 + 0x9E3779B97F4A7C15L * epoch);
        double dLoss = 0;
        double gLoss = 0;
        double dReal = 0;
        double dFake = 0;
        int batches = 0;
        for (int start = 0; start < n; start += batchSize) {
          if (control.stopRequested()) {
            throw new TrainingCancelledException(
                "stopped at epoch " + epoch + ", iteration " + (steps.iteration() + 1));
          }
          int[] batch = map(rows, Arrays.copyOfRange(order, start, Math.min(n, start + batchSize)));
          GanSteps.Result r;
          try (INDArray x = train.features(batch);
              INDArray z = GanModel.noise(batch.length, latent, noise)) {
            r = steps.step(x, z, epoch);
          }
          if (!r.finite()) {
            throw diverged(r, epoch, steps.iteration() + 1, spec, training);
          }
          dLoss += r.dLoss();
          gLoss += r.gLoss();
          dReal += r.dReal();
          dFake += r.dFake();
          batches++;
          if (steps.iteration() % logEvery == 0) {
            metrics.record(jobId, ResumePoint.Series.LOSS, steps.iteration(), epoch, r.loss());
          }
        }
        double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
        double ratio =
            epochSamples(
                jobId,
                spec,
                graph,
                train.shape(),
                epoch,
                gridNoise,
                diversityNoise,
                realDiversity,
                control);
        double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
        Map<String, Double> now = new LinkedHashMap<>();
        now.put("d_loss", dLoss / batches);
        now.put("g_loss", gLoss / batches);
        now.put("d_real", dReal / batches);
        now.put("d_fake", dFake / batches);
        now.put("sample_diversity", ratio);
        for (Map.Entry<String, Double> e : now.entrySet()) {
          metrics.record(jobId, e.getKey(), epoch, epoch, e.getValue());
        }
        metrics.record(jobId, "samples_per_second", epoch, epoch, n / trainSeconds);
        metrics.record(jobId, "epoch_seconds", epoch, epoch, epochSeconds);
        last = Map.copyOf(now);
        control.epochCompleted(epoch, epochs);
        GenerativeCheckpoints.epochDone(checkpoints, graph, epoch, steps.iteration(), n, last);
      }
    }
    return last;
  }

  /**
   * After an epoch: the PNG grid from the run's fixed noise, and the diversity of a batch of
   * samples as a fraction of the data's, with a warning when it looks like mode collapse.
   */
  private double epochSamples(
      UUID jobId,
      GanSpec spec,
      SameDiff graph,
      List<Integer> shape,
      int epoch,
      INDArray gridNoise,
      INDArray diversityNoise,
      double realDiversity,
      TrainingControl control) {
    GanModel model =
        new GanModel(null, shape, spec.latentSizeOrDefault(), GanGraph.sampler(spec, shape, graph));
    try (INDArray grid = model.generateFrom(gridNoise);
        INDArray generated = model.generateFrom(diversityNoise)) {
      samples.recordImage(jobId, epoch, ImageGrids.squareGrid(grid));
      if (!(realDiversity > 0)) {
        // Fewer than two distinct training images: nothing to compare with.
        return 1.0;
      }
      double diversity = SampleDiversity.meanPairwiseDistance(generated);
      double ratio = diversity / realDiversity;
      if (ratio < SampleDiversity.COLLAPSE_RATIO) {
        control.warn(SampleDiversity.collapseWarning(epoch, diversity, realDiversity));
      }
      return ratio;
    }
  }

  private static TrainingFailedException diverged(
      GanSteps.Result r, int epoch, long iteration, GanSpec spec, TrainingSpec training) {
    return new TrainingFailedException(
        String.format(
            "GAN losses diverged at epoch %d, iteration %d (d_loss %s, g_loss %s); try lower"
                + " learning rates (generator %s, discriminator %s), Adam beta1 0.5,"
                + " labelSmoothing 0.1, or a smaller batchSize",
            epoch,
            iteration,
            r.dLoss(),
            r.gLoss(),
            spec.generatorOrDefault().learningRateOrDefault(),
            spec.discriminatorOrDefault().learningRateOrDefault()));
  }

  private static int[] map(int[] rows, int[] indices) {
    int[] out = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      out[i] = rows[indices[i]];
    }
    return out;
  }
}
