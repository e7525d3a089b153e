package io.deeptrain.generative;

import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.Examples;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.spec.DiffusionSpec;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.Optimizer;
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
import java.util.SplittableRandom;
import java.util.UUID;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Trains a diffusion model: the U-Net of {@link Denoiser} learns to predict the noise ε in x_t =
 * sqrt(ᾱ_t) x_0 + sqrt(1-ᾱ_t) ε, with t uniform in 0 .. T-1 and pixels scaled to [-1, 1], by mean
 * squared error (Ho et al.'s simple loss) with Adam at the job's learning rate.
 *
 * <p>An exponential moving average of the weights ({@link WeightAverage}) is what the test loss,
 * the per-epoch grids, the sample quality and the registered model use.
 *
 * <p>t and ε are drawn from a generator seeded by (seed, epoch), and the epoch's order too, so an
 * epoch resumed from its checkpoint replays exactly. Metrics: {@code loss} every {@code
 * iterationEvery} iterations (the mini-batch's loss before its update, by an extra forward pass:
 * SameDiff's fit reports none); per epoch {@code train_loss} (the mean of those and of the epoch's
 * last batch), {@code test_loss} (the same objective on up to {@value #MAX_TEST_EVAL} test images
 * with fixed t and ε, so epochs compare), {@code samples_per_second} and {@code epoch_seconds}; at
 * the end the sample quality figures of {@link SampleQuality}. After each epoch a grid of 16 images
 * sampled from the same noise ({@value #EPOCH_SAMPLE_STEPS} DDIM steps).
 */
@Service
public class DiffusionTrainer implements SpecTrainer {

  private static final Logger log = LoggerFactory.getLogger(DiffusionTrainer.class);

  /** Test images in test_loss; enough for a stable mean, cheap next to an epoch. */
  static final int MAX_TEST_EVAL = 2_000;

  static final int EPOCH_SAMPLES = 16;
  static final int EPOCH_SAMPLE_STEPS = 20;

  /** Rows per forward pass when measuring test_loss. */
  private static final int EVAL_BATCH = 256;

  private final GenerativeRuns runs;
  private final MetricRecorder metrics;
  private final TrainingSamples samples;

  public DiffusionTrainer(GenerativeRuns runs) {
    this.runs = runs;
    this.metrics = runs.metrics();
    this.samples = runs.samples();
  }

  @Override
  public boolean trains(ModelSpec spec) {
    return spec instanceof DiffusionSpec;
  }

  @Override
  public TrainedModel train(
      TrainingRequest request, TrainingControl control, CheckpointStore checkpoints) {
    DiffusionSpec spec = (DiffusionSpec) request.spec();
    TrainingSpec training = request.training().resolved();
    DatasetSplit data = runs.open(request.dataset(), training);
    List<Integer> shape = data.inputShape();
    int[] trainRows =
        EpochOrder.sample(data.train().size(), training.maxTrainExamples(), training.seed());
    int testMax =
        Math.min(
            MAX_TEST_EVAL,
            training.maxTestExamples() == null ? Integer.MAX_VALUE : training.maxTestExamples());
    int[] testRows = EpochOrder.sample(data.test().size(), testMax, training.seed() + 1);
    if (trainRows.length == 0) {
      throw new TrainingFailedException(
          "dataset '" + request.dataset() + "' has no training images");
    }
    try {
      Optional<GenerativeCheckpoints.Resumed> resumed =
          GenerativeCheckpoints.resume(checkpoints, trainRows.length);
      ResumePoint from =
          resumed.map(GenerativeCheckpoints.Resumed::from).orElse(ResumePoint.start());
      SameDiff graph;
      if (resumed.isPresent()) {
        graph = resumed.get().graph();
        log.info("Job {} resumes after epoch {}", request.jobId(), from.epochsDone());
      } else {
        graph = Denoiser.build(spec, shape, training.seed());
      }
      WeightAverage average = WeightAverage.of(graph);
      if (graph.getTrainingConfig() == null) {
        graph.setTrainingConfig(trainingConfig(training));
      }
      control.starting(from);
      warnAboutIgnoredSettings(training, control);
      DiffusionModel model = new DiffusionModel(graph, spec, shape, null);
      Map<String, Double> last =
          fit(
              request.jobId(),
              spec,
              training,
              graph,
              average,
              model,
              data,
              trainRows,
              testRows,
              control,
              checkpoints,
              from);
      // The model is served (and measured) with its averaged weights.
      average.swap();
      Map<String, Double> finalMetrics = new LinkedHashMap<>(last);
      finalMetrics.putAll(runs.measureQuality(request.jobId(), request.dataset(), model, training));
      return new TrainedModel(
          SameDiffArtifacts.save(graph, false),
          SameDiffArtifacts.MEDIA_TYPE,
          data.classes(),
          shape,
          null,
          Map.copyOf(finalMetrics),
          null,
          "completed all " + training.epochs() + " epochs");
    } catch (TrainingCancelledException | TrainingFailedException e) {
      throw e;
    } catch (OutOfMemoryError e) {
      throw new TrainingFailedException(
          "ran out of memory while training ("
              + e.getMessage()
              + "); use a smaller batchSize or fewer channels, or give the service more memory",
          e);
    } catch (RuntimeException e) {
      log.warn("Training of job {} failed", request.jobId(), e);
      throw new TrainingFailedException(
          "training stopped by an unexpected error ("
              + e.getMessage()
              + "); check that the spec fits the dataset, and report it with the job id if it"
              + " happens again",
          e);
    }
  }

  /** Settings of the job this loop does not apply: said once, with the job's results. */
  private static void warnAboutIgnoredSettings(TrainingSpec training, TrainingControl control) {
    List<String> ignored = new java.util.ArrayList<>();
    if (training.optimizer() != null && training.optimizer() != Optimizer.ADAM) {
      ignored.add("optimizer " + training.optimizer());
    }
    if (training.schedule() != null) {
      ignored.add("schedule");
    }
    if ((training.weightDecay() != null && training.weightDecay() > 0)
        || (training.l1() != null && training.l1() > 0)
        || (training.l2() != null && training.l2() > 0)) {
      ignored.add("weight decay and L1/L2");
    }
    if (training.gradientClipping() != null) {
      ignored.add("gradientClipping");
    }
    if (training.earlyStopping() != null) {
      ignored.add("earlyStopping");
    }
    if (!ignored.isEmpty()) {
      control.warn(
          "diffusion models train with Adam at a constant learningRate for all epochs; "
              + String.join(", ", ignored)
              + " did not apply");
    }
  }

  static TrainingConfig trainingConfig(TrainingSpec training) {
    Adam adam = new Adam(training.learningRate());
    if (training.beta1() != null) {
      adam.setBeta1(training.beta1());
    }
    if (training.beta2() != null) {
      adam.setBeta2(training.beta2());
    }
    if (training.epsilon() != null) {
      adam.setEpsilon(training.epsilon());
    }
    return TrainingConfig.builder()
        .updater(adam)
        .dataSetFeatureMapping(Denoiser.NOISY, Denoiser.TIME)
        .dataSetLabelMapping(Denoiser.NOISE)
        .build();
  }

  private Map<String, Double> fit(
      UUID jobId,
      DiffusionSpec spec,
      TrainingSpec training,
      SameDiff graph,
      WeightAverage average,
      DiffusionModel model,
      DatasetSplit data,
      int[] trainRows,
      int[] testRows,
      TrainingControl control,
      CheckpointStore checkpoints,
      ResumePoint from) {
    NoiseSchedule schedule =
        NoiseSchedule.of(spec.betaScheduleOrDefault(), spec.timestepsOrDefault());
    int embedding = spec.timeEmbeddingSizeOrDefault();
    Examples train = data.train();
    int rows = trainRows.length;
    int batchSize = Math.min(training.batchSize(), rows);
    int epochs = training.epochs();
    int logEvery = runs.iterationEvery();
    long iteration = from.iteration();
    double lastFinite = Double.NaN;
    Map<String, Double> last = from.lastMetrics();
    for (int epoch = from.epochsDone() + 1; epoch <= epochs; epoch++) {
      long epochStart = System.nanoTime();
      SplittableRandom random = new SplittableRandom(DiffusionModel.mix(training.seed(), epoch));
      int[] order = shuffled(trainRows, random);
      double lossSum = 0;
      int measuredBatches = 0;
      for (int start = 0; start < rows; start += batchSize) {
        if (control.stopRequested()) {
          throw new TrainingCancelledException(
              "stopped at epoch " + epoch + ", iteration " + (iteration + 1));
        }
        int[] batch = Arrays.copyOfRange(order, start, Math.min(rows, start + batchSize));
        boolean logged = (iteration + 1) % logEvery == 0;
        boolean measured = logged || start + batchSize >= rows;
        double loss = Double.NaN;
        try (INDArray images = train.features(batch)) {
          MultiDataSet step = noised(images, schedule, embedding, random);
          if (measured) {
            // SameDiff's fit reports no loss (M2.1 hands listeners zeros): one extra forward pass.
            loss = batchLoss(graph, step);
          }
          graph.fit(step);
          close(step);
        }
        iteration++;
        average.update(iteration);
        if (measured) {
          if (!Double.isFinite(loss)) {
            throw diverged(loss, epoch, iteration, lastFinite, training);
          }
          lastFinite = loss;
          lossSum += loss;
          measuredBatches++;
          if (logged) {
            metrics.record(jobId, ResumePoint.Series.LOSS, iteration, epoch, loss);
          }
        }
      }
      double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
      double trainLoss = lossSum / measuredBatches;
      double testLoss =
          average.with(
              () -> testLoss(graph, data.test(), testRows, schedule, embedding, training.seed()));
      if (!Double.isFinite(testLoss)) {
        throw diverged(testLoss, epoch, iteration, lastFinite, training);
      }
      INDArray grid =
          average.with(
              () ->
                  model
                      .sample(
                          EPOCH_SAMPLES,
                          Math.min(EPOCH_SAMPLE_STEPS, schedule.timesteps()),
                          DiffusionModel.Sampler.DDIM,
                          training.seed(),
                          false)
                      .images());
      samples.recordImage(jobId, epoch, ImageGrids.squareGrid(grid));
      grid.close();
      double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
      metrics.record(jobId, "train_loss", epoch, epoch, trainLoss);
      metrics.record(jobId, "test_loss", epoch, epoch, testLoss);
      metrics.record(jobId, "samples_per_second", epoch, epoch, rows / trainSeconds);
      metrics.record(jobId, "epoch_seconds", epoch, epoch, epochSeconds);
      control.epochCompleted(epoch, epochs);
      Map<String, Double> now = new LinkedHashMap<>();
      now.put("test_loss", testLoss);
      now.put("train_loss", trainLoss);
      last = Map.copyOf(now);
      GenerativeCheckpoints.epochDone(checkpoints, graph, epoch, iteration, rows, last);
    }
    return last;
  }

  /**
   * One training step's inputs: x_t and the timestep embedding as features, ε as the label. Draws
   * t, then ε pixel by pixel, from {@code random}.
   */
  static MultiDataSet noised(
      INDArray images, NoiseSchedule schedule, int embedding, SplittableRandom random) {
    int[] t = new int[(int) images.size(0)];
    for (int r = 0; r < t.length; r++) {
      t[r] = random.nextInt(schedule.timesteps());
    }
    return noised(images, t, schedule, embedding, random);
  }

  /** {@link #noised(INDArray, NoiseSchedule, int, SplittableRandom)} at the given timesteps. */
  static MultiDataSet noised(
      INDArray images, int[] t, NoiseSchedule schedule, int embedding, SplittableRandom random) {
    int n = (int) images.size(0);
    float[] x = images.dup('c').data().asFloat();
    int pixels = x.length / n;
    float[] eps = new float[x.length];
    for (int r = 0; r < n; r++) {
      double a = Math.sqrt(schedule.alphaBar(t[r]));
      double b = Math.sqrt(1 - schedule.alphaBar(t[r]));
      for (int p = r * pixels; p < (r + 1) * pixels; p++) {
        float e = (float) random.nextGaussian();
        eps[p] = e;
        x[p] = (float) (a * (2 * x[p] - 1) + b * e);
      }
    }
    long[] shape = images.shape();
    return new MultiDataSet(
        new INDArray[] {Nd4j.create(x, shape, 'c'), Denoiser.timeEmbedding(t, embedding)},
        new INDArray[] {Nd4j.create(eps, shape, 'c')});
  }

  /** The training objective on the test rows, with t and ε fixed by the seed. */
  static double testLoss(
      SameDiff graph, Examples test, int[] rows, NoiseSchedule schedule, int embedding, long seed) {
    if (rows.length == 0) {
      return Double.NaN;
    }
    SplittableRandom random = new SplittableRandom(DiffusionModel.mix(seed, -1));
    double sum = 0;
    for (int start = 0; start < rows.length; start += EVAL_BATCH) {
      int[] batch = Arrays.copyOfRange(rows, start, Math.min(rows.length, start + EVAL_BATCH));
      try (INDArray images = test.features(batch)) {
        MultiDataSet step = noised(images, schedule, embedding, random);
        sum += batchLoss(graph, step) * batch.length;
        close(step);
      }
    }
    return sum / rows.length;
  }

  /** The objective on one prepared batch, without training. */
  static double batchLoss(SameDiff graph, MultiDataSet step) {
    INDArray loss =
        graph.outputSingle(
            Map.of(
                Denoiser.NOISY, step.getFeatures(0),
                Denoiser.TIME, step.getFeatures(1),
                Denoiser.NOISE, step.getLabels(0)),
            Denoiser.LOSS);
    return loss.getDouble(0);
  }

  private static void close(MultiDataSet step) {
    for (INDArray a : step.getFeatures()) {
      a.close();
    }
    step.getLabels(0).close();
  }

  private static int[] shuffled(int[] rows, SplittableRandom random) {
    int[] out = rows.clone();
    for (int i = out.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  private static TrainingFailedException diverged(
      double loss, int epoch, long iteration, double lastFinite, TrainingSpec training) {
    return new TrainingFailedException(
        "loss diverged at epoch "
            + epoch
            + ", iteration "
            + iteration
            + " (last finite loss "
            + (Double.isNaN(lastFinite) ? "none" : String.format("%.6g", lastFinite))
            + ", then "
            + (Double.isNaN(loss) ? "NaN" : "infinite")
            + "); try a smaller learning rate (it was "
            + training.learningRate()
            + "; 0.001 to 0.002 suits these U-Nets) or fewer channels");
  }
}
