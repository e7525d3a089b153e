package io.deeptrain.generative;

import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.Examples;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.spec.VaeSpec;
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
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Trains a {@link VaeSpec} on an image dataset: one SameDiff graph ({@link VaeGraph}) fitted a
 * batch at a time, its noise (the reparameterisation's eps, or the energy distance's prior samples)
 * drawn from generators seeded by (seed, epoch) so a resumed epoch replays exactly.
 *
 * <p>Metrics per epoch: {@code train_loss}, {@code reconstruction_loss} and {@code latent_loss}
 * (means over the epoch's batches), {@code test_loss}, {@code test_reconstruction_loss} and {@code
 * test_latent_loss} (the test split in inference mode), {@code samples_per_second}, {@code
 * epoch_seconds}; per iteration {@code loss}. After each epoch a grid of 64 images decoded from
 * fixed N(0, I) codes; at the end the sample-quality figures of {@link SampleQuality}.
 */
@Service
class VaeTrainer implements SpecTrainer {

  private static final Logger log = LoggerFactory.getLogger(VaeTrainer.class);

  /** Images in each epoch's sample grid. */
  static final int SAMPLE_COUNT = 64;

  private static final int EVAL_BATCH = 256;

  /** train_* metrics are measured on a fixed sample of this many training examples. */
  static final int MAX_TRAIN_EVAL = 2000;

  private final GenerativeRuns runs;
  private final MetricRecorder metrics;
  private final TrainingSamples samples;

  VaeTrainer(GenerativeRuns runs) {
    this.runs = runs;
    this.metrics = runs.metrics();
    this.samples = runs.samples();
  }

  @Override
  public boolean trains(ModelSpec spec) {
    return spec instanceof VaeSpec;
  }

  @Override
  public TrainedModel train(
      TrainingRequest request, TrainingControl control, CheckpointStore checkpoints) {
    TrainingSpec training = request.training().resolved();
    VaeSpec spec = (VaeSpec) request.spec();
    IUpdater updater = updater(training);
    DatasetSplit data = runs.open(request.dataset(), training);
    List<Integer> shape = data.inputShape();
    Examples train = subset(data.train(), training.maxTrainExamples(), training.seed());
    Examples test = subset(data.test(), training.maxTestExamples(), training.seed() + 1);
    int rows = train.size();
    if (rows < 2) {
      throw new TrainingFailedException(
          "the training split has " + rows + " image(s); a VAE needs at least 2");
    }
    int batchSize = Math.max(2, Math.min(training.batchSize(), rows));

    Optional<GenerativeCheckpoints.Resumed> resumed =
        GenerativeCheckpoints.resume(checkpoints, rows);
    SameDiff sd =
        resumed
            .map(GenerativeCheckpoints.Resumed::graph)
            .orElseGet(() -> VaeGraph.build(spec, shape, training.seed()));
    ResumePoint from = resumed.map(GenerativeCheckpoints.Resumed::from).orElse(ResumePoint.start());
    boolean kl = spec.latentLossOrDefault() == VaeSpec.LatentLoss.KL;
    String noise = kl ? VaeGraph.NOISE : VaeGraph.PRIOR;
    sd.setLossVariables(VaeGraph.LOSS);
    TrainingConfig.Builder config =
        TrainingConfig.builder()
            .updater(updater)
            .dataSetFeatureMapping(VaeGraph.INPUT, noise)
            .markLabelsUnused();
    if (training.l1() > 0) {
      config.l1(training.l1());
    }
    if (training.l2() > 0) {
      config.l2(training.l2());
    }
    if (training.weightDecay() > 0) {
      config.weightDecay(training.weightDecay(), true);
    }
    if (sd.getTrainingConfig() == null) {
      sd.setTrainingConfig(config.build());
    } else {
      // Adam's bias correction counts iterations; a restored graph starts that count again.
      sd.getTrainingConfig().setIterationCount(Math.toIntExact(from.iteration()));
    }

    UUID jobId = request.jobId();
    int latent = spec.latentSizeOrDefault();
    INDArray sampleCodes =
        VaeGraph.normal(new Random(training.seed() ^ 0x5A3C0DE5L), SAMPLE_COUNT, latent);
    int logEvery = runs.iterationEvery();
    int epochs = training.epochs();
    int[] order = new int[rows];
    long iteration = from.iteration();
    Map<String, Double> last = from.lastMetrics();
    int[] trainSample = EpochOrder.sample(rows, MAX_TRAIN_EVAL, training.seed());
    VaeGraph.freshArrays(sd);
    control.starting(from);
    double lastFinite = Double.NaN;
    for (int epoch = from.epochsDone() + 1; epoch <= epochs; epoch++) {
      long epochStart = System.nanoTime();
      EpochOrder.fill(order, training.seed(), epoch);
      Random noiseRandom = new Random(training.seed() * 31 + epoch);
      int batches = 0;
      for (int start = 0; start < rows; start += batchSize) {
        if (control.stopRequested()) {
          throw new TrainingCancelledException(
              "stopped at epoch " + epoch + ", iteration " + (iteration + 1));
        }
        int end = Math.min(rows, start + batchSize);
        if (end - start < 2 && batches > 0) {
          break; // a lone last example has no pair for the energy distance
        }
        int[] batch = Arrays.copyOfRange(order, start, end);
        iteration++;
        batches++;
        try (INDArray x = train.features(batch);
            INDArray eps = VaeGraph.normal(noiseRandom, batch.length, latent)) {
          sd.fit(
              new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x, eps}, new INDArray[0]));
          if (iteration % logEvery == 0) {
            // The batch's loss after the step (fit does not report it): a forward pass.
            VaeGraph.freshArrays(sd);
            double loss =
                sd.output(Map.of(VaeGraph.INPUT, x, noise, eps), VaeGraph.LOSS)
                    .get(VaeGraph.LOSS)
                    .getDouble(0);
            if (!Double.isFinite(loss)) {
              throw diverged(loss, epoch, iteration, lastFinite, training);
            }
            lastFinite = loss;
            metrics.record(jobId, ResumePoint.Series.LOSS, iteration, epoch, loss);
          }
        }
      }
      double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
      Map<String, Double> epochMetrics = new LinkedHashMap<>();
      Map<String, Double> onTrain =
          evaluate(sd, train, trainSample, noise, latent, training.seed());
      if (!Double.isFinite(onTrain.get(VaeGraph.LOSS))) {
        throw diverged(onTrain.get(VaeGraph.LOSS), epoch, iteration, lastFinite, training);
      }
      epochMetrics.put("train_loss", onTrain.get(VaeGraph.LOSS));
      epochMetrics.put("reconstruction_loss", onTrain.get(VaeGraph.RECONSTRUCTION_LOSS));
      epochMetrics.put("latent_loss", onTrain.get(VaeGraph.LATENT_LOSS));
      if (test.size() >= 2) {
        Map<String, Double> onTest =
            evaluate(sd, test, all(test.size()), noise, latent, training.seed() + 1);
        epochMetrics.put("test_loss", onTest.get(VaeGraph.LOSS));
        epochMetrics.put("test_reconstruction_loss", onTest.get(VaeGraph.RECONSTRUCTION_LOSS));
        epochMetrics.put("test_latent_loss", onTest.get(VaeGraph.LATENT_LOSS));
      }
      epochMetrics.put("samples_per_second", rows / trainSeconds);
      try (INDArray images = decode(sd, sampleCodes)) {
        samples.recordImage(jobId, epoch, ImageGrids.squareGrid(images));
      }
      epochMetrics.put("epoch_seconds", (System.nanoTime() - epochStart) / 1e9);
      for (Map.Entry<String, Double> m : epochMetrics.entrySet()) {
        metrics.record(jobId, m.getKey(), epoch, epoch, m.getValue());
      }
      last = epochMetrics;
      control.epochCompleted(epoch, epochs);
      GenerativeCheckpoints.epochDone(checkpoints, sd, epoch, iteration, rows, last);
    }
    sampleCodes.close();

    byte[] artifact = SameDiffArtifacts.save(sd, false);
    Map<String, Double> finalMetrics = new LinkedHashMap<>(last);
    finalMetrics.putAll(
        runs.measureQuality(
            jobId, request.dataset(), VaeModel.load(null, spec, shape, artifact), training));
    return new TrainedModel(
        artifact,
        SameDiffArtifacts.MEDIA_TYPE,
        data.classes(),
        List.copyOf(shape),
        null,
        finalMetrics,
        null,
        "completed all " + epochs + " epochs");
  }

  /**
   * Mean losses (by graph output name) over {@code rows} of {@code examples} in inference mode, the
   * noise drawn from {@code seed} so every epoch sees the same.
   */
  private static Map<String, Double> evaluate(
      SameDiff sd, Examples examples, int[] rows, String noise, int latent, long seed) {
    VaeGraph.freshArrays(sd);
    Random random = new Random(seed ^ 0x7E57L);
    double[] sums = new double[3];
    String[] names = {VaeGraph.LOSS, VaeGraph.RECONSTRUCTION_LOSS, VaeGraph.LATENT_LOSS};
    int counted = 0;
    for (int start = 0; start < rows.length; start += EVAL_BATCH) {
      int end = Math.min(rows.length, start + EVAL_BATCH);
      if (end - start < 2) {
        break; // no pair for the energy distance; at most one example left out
      }
      int[] batch = Arrays.copyOfRange(rows, start, end);
      try (INDArray x = examples.features(batch);
          INDArray eps = VaeGraph.normal(random, batch.length, latent)) {
        Map<String, INDArray> r = sd.output(Map.of(VaeGraph.INPUT, x, noise, eps), names);
        for (int i = 0; i < names.length; i++) {
          sums[i] += r.get(names[i]).getDouble(0) * batch.length;
        }
        counted += batch.length;
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], sums[i] / counted);
    }
    return out;
  }

  private static int[] all(int n) {
    int[] out = new int[n];
    Arrays.setAll(out, i -> i);
    return out;
  }

  private static INDArray decode(SameDiff sd, INDArray codes) {
    VaeGraph.freshArrays(sd);
    return sd.output(Map.of(VaeGraph.CODE, codes), VaeGraph.DECODED).get(VaeGraph.DECODED).dup();
  }

  /** The SameDiff updater for the training spec's optimizer (SGD_G2 and schedules are refused). */
  static IUpdater updater(TrainingSpec t) {
    if (t.schedule() != null || t.earlyStopping() != null || t.gradientClipping() != null) {
      throw new TrainingFailedException(
          "VAE training takes a constant learning rate without early stopping or gradient"
              + " clipping for now; remove schedule, earlyStopping and gradientClipping");
    }
    double lr = t.learningRate();
    return switch (t.optimizer()) {
      case SGD -> new Sgd(lr);
      case MOMENTUM, NESTEROV -> new Nesterovs(lr, t.momentum());
      case ADAM -> new Adam(lr, t.beta1(), t.beta2(), t.epsilon());
      case NADAM -> new Nadam(lr, t.beta1(), t.beta2(), t.epsilon());
      case AMSGRAD -> new AMSGrad(lr, t.beta1(), t.beta2(), t.epsilon());
      case ADAMAX -> new AdaMax(lr, t.beta1(), t.beta2(), t.epsilon());
      case RMSPROP -> new RmsProp(lr, t.rho(), t.epsilon());
      case ADADELTA -> new AdaDelta(t.rho(), t.epsilon());
      case ADAGRAD -> new AdaGrad(lr, t.epsilon());
      default ->
          throw new TrainingFailedException(
              "VAE training does not support the "
                  + t.optimizer()
                  + " optimizer; use ADAM (learningRate 0.001) or another built-in optimizer");
    };
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
            + ") or a smaller latentWeight");
  }

  /** At most {@code max} examples of {@code split}, the same ones for the same seed. */
  static Examples subset(Examples split, Integer max, long seed) {
    if (max == null || max >= split.size()) {
      return split;
    }
    int[] rows = EpochOrder.sample(split.size(), max, seed);
    return new Examples() {
      @Override
      public int size() {
        return rows.length;
      }

      @Override
      public List<Integer> shape() {
        return split.shape();
      }

      @Override
      public int[] labels() {
        int[] source = split.labels();
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
          out[i] = source[rows[i]];
        }
        return out;
      }

      @Override
      public INDArray features(int[] indices) {
        int[] mapped = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
          mapped[i] = rows[indices[i]];
        }
        return split.features(mapped);
      }
    };
  }
}
