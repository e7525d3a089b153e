package io.deeptrain.training;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.TextCorpus;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.TextGenerator;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.system.ApiException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.springframework.stereotype.Service;

/**
 * Trains a character-level language model (an LSTM with the LANGUAGE_MODEL head) on a text corpus:
 * sequences of {@code sequenceLength} characters, each step labelled with the next character. The
 * held-out tail of the text measures {@code perplexity} per character after each epoch, beside
 * {@code unigram_perplexity} (character frequencies of the training text, recorded once at epoch 0)
 * as the baseline a model must beat; a short sample of generated text is stored per epoch in {@link
 * TrainingSamples}.
 *
 * <p>Not yet: checkpoints (a requeued job starts again), early stopping and SGD-G2.
 */
@Service
public class LanguageModelTrainer {

  /** Characters generated per epoch as a sample. */
  static final int SAMPLE_LENGTH = 200;

  static final double SAMPLE_TEMPERATURE = 0.8;

  private static final int EVAL_BATCH = 64;

  private final DatasetCatalog datasets;
  private final LstmBuilder builder;
  private final MetricRecorder metrics;
  private final MetricProperties metricProperties;
  private final TrainingSamples samples;

  public LanguageModelTrainer(
      DatasetCatalog datasets,
      LstmBuilder builder,
      MetricRecorder metrics,
      MetricProperties metricProperties,
      TrainingSamples samples) {
    this.datasets = datasets;
    this.builder = builder;
    this.metrics = metrics;
    this.metricProperties = metricProperties;
    this.samples = samples;
  }

  /** Whether this trainer (rather than {@link TrainingRunner}) trains the spec. */
  public static boolean trains(io.deeptrain.spec.ModelSpec spec) {
    return spec instanceof LstmSpec lstm && lstm.headOrDefault() == LstmSpec.Head.LANGUAGE_MODEL;
  }

  public TrainedModel train(TrainingRequest request, TrainingControl control) {
    TrainingSpec training = request.training().resolved();
    LstmSpec spec = (LstmSpec) request.spec();
    if (training.optimizer() == Optimizer.SGD_G2 || training.earlyStopping() != null) {
      throw new TrainingFailedException(
          "language models do not support SGD_G2 or early stopping yet; use ADAM without"
              + " earlyStopping");
    }
    TextCorpus corpus;
    try {
      corpus = datasets.openText(request.dataset());
    } catch (ApiException e) {
      throw new TrainingFailedException(
          "dataset '" + request.dataset() + "' is not a text dataset (any more)", e);
    }
    int v = corpus.vocabulary().size();
    int trainLength = corpus.trainLength(training.testFraction());
    int steps = Math.min(spec.sequenceLengthOrDefault(), trainLength - 1);
    int[] codes = corpus.codes();
    // Non-overlapping windows; each needs steps + 1 characters (the last step's label).
    int windows = (trainLength - 1) / steps;
    if (training.maxTrainExamples() != null) {
      windows = Math.min(windows, training.maxTrainExamples());
    }
    int[] starts = new int[windows];
    Arrays.setAll(starts, i -> i * steps);
    int[] test = Arrays.copyOfRange(codes, trainLength, codes.length);
    int batchSize = Math.min(training.batchSize(), windows);
    int iterationsPerEpoch = (windows + batchSize - 1) / batchSize;

    ISchedule schedule = LearningRateSchedule.of(training, iterationsPerEpoch);
    IUpdater updater = UpdaterFactory.create(training, schedule);
    MultiLayerNetwork mln =
        new MultiLayerNetwork(builder.build(spec, v, v, UpdaterFactory.options(training, updater)));
    mln.init();
    Nd4j.getRandom().setSeed(training.seed());
    try (TrainableNetwork net = TrainableNetwork.of(mln)) {
      TrainingStep step = TrainingStep.of(net, updater, LearningRateSchedule.byIteration(training));
      control.starting(ResumePoint.start());
      double unigram = unigramPerplexity(codes, trainLength, test, v);
      metrics.record(request.jobId(), "unigram_perplexity", 0, 0, unigram);
      int[] order = new int[windows];
      long iteration = 0;
      double lastFinite = Double.NaN;
      Map<String, Double> last = Map.of("unigram_perplexity", unigram);
      for (int epoch = 1; epoch <= training.epochs(); epoch++) {
        long epochStart = System.nanoTime();
        EpochOrder.fill(order, training.seed(), epoch);
        for (int start = 0; start < windows; start += batchSize) {
          if (control.stopRequested()) {
            throw new TrainingCancelledException(
                "stopped at epoch " + epoch + ", iteration " + (iteration + 1));
          }
          int[] batch = new int[Math.min(batchSize, windows - start)];
          for (int b = 0; b < batch.length; b++) {
            batch[b] = starts[order[start + b]];
          }
          double loss;
          try (INDArray x = oneHot(codes, batch, steps, v, 0);
              INDArray y = oneHot(codes, batch, steps, v, 1)) {
            loss = step.fit(x, y);
          }
          iteration++;
          if (!Double.isFinite(loss)) {
            throw TrainingRunner.diverged(loss, epoch, iteration, lastFinite, training);
          }
          lastFinite = loss;
          if (iteration % metricProperties.iterationEvery() == 0) {
            metrics.record(request.jobId(), ResumePoint.Series.LOSS, iteration, epoch, loss);
          }
        }
        net.incrementEpochCount();
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        double nll = meanNll(mln, test, steps, v);
        double perplexity = Math.exp(nll);
        metrics.record(request.jobId(), "test_loss", epoch, epoch, nll);
        metrics.record(request.jobId(), "perplexity", epoch, epoch, perplexity);
        metrics.record(request.jobId(), "samples_per_second", epoch, epoch, windows / seconds);
        metrics.record(request.jobId(), "epoch_seconds", epoch, epoch, seconds);
        double lr = step.learningRate();
        if (!Double.isNaN(lr)) {
          metrics.record(request.jobId(), "learning_rate", epoch, epoch, lr);
        }
        samples.record(request.jobId(), epoch, sample(mln, corpus, test, training.seed() + epoch));
        control.epochCompleted(epoch, training.epochs());
        Map<String, Double> now = new LinkedHashMap<>();
        now.put("perplexity", perplexity);
        now.put("test_loss", nll);
        now.put("unigram_perplexity", unigram);
        last = Map.copyOf(now);
      }
      return new TrainedModel(
          net.serialize(),
          net.mediaType(),
          corpus.vocabulary(),
          List.of(v),
          null,
          last,
          null,
          "completed all " + training.epochs() + " epochs");
    } catch (TrainingCancelledException | TrainingFailedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TrainingFailedException(
          "training stopped by an unexpected error (" + e.getMessage() + ")", e);
    }
  }

  /** The held-out text's first characters as a prompt, then what the model writes after them. */
  private static String sample(MultiLayerNetwork net, TextCorpus corpus, int[] test, long seed) {
    int[] prompt = Arrays.copyOf(test, Math.min(20, test.length - 1));
    StringBuilder text = new StringBuilder();
    for (int c : prompt) {
      text.append(corpus.vocabulary().get(c));
    }
    return text.append(
            TextGenerator.complete(
                net, corpus.vocabulary(), prompt, SAMPLE_LENGTH, SAMPLE_TEMPERATURE, null, seed))
        .toString();
  }

  /** Mean negative log-likelihood per character of {@code text}, in windows of {@code steps}. */
  static double meanNll(MultiLayerNetwork net, int[] text, int steps, int v) {
    int len = Math.min(steps, text.length - 1);
    int windows = (text.length - 1) / len;
    int[] starts = new int[windows];
    Arrays.setAll(starts, i -> i * len);
    double sum = 0;
    long count = 0;
    for (int from = 0; from < windows; from += EVAL_BATCH) {
      int[] batch = Arrays.copyOfRange(starts, from, Math.min(windows, from + EVAL_BATCH));
      try (INDArray x = oneHot(text, batch, len, v, 0);
          INDArray out = net.output(x, false)) {
        float[] p = out.dup('c').data().asFloat();
        for (int b = 0; b < batch.length; b++) {
          for (int t = 0; t < len; t++) {
            int target = text[batch[b] + t + 1];
            sum -= Math.log(Math.max(p[(b * v + target) * len + t], 1e-10));
            count++;
          }
        }
      }
    }
    return sum / count;
  }

  /** exp(cross-entropy) of the test text under add-one-smoothed training character frequencies. */
  static double unigramPerplexity(int[] codes, int trainLength, int[] test, int v) {
    double[] counts = new double[v];
    Arrays.fill(counts, 1);
    for (int i = 0; i < trainLength; i++) {
      counts[codes[i]]++;
    }
    double total = trainLength + v;
    double sum = 0;
    for (int i = 1; i < test.length; i++) {
      sum -= Math.log(counts[test[i]] / total);
    }
    return Math.exp(sum / (test.length - 1));
  }

  /** One-hot [n, v, steps] of text[start + shift + t], DL4J's recurrent layout. */
  private static INDArray oneHot(int[] text, int[] starts, int steps, int v, int shift) {
    float[] data = new float[starts.length * v * steps];
    for (int b = 0; b < starts.length; b++) {
      for (int t = 0; t < steps; t++) {
        data[(b * v + text[starts[b] + shift + t]) * steps + t] = 1f;
      }
    }
    return Nd4j.create(data, new long[] {starts.length, v, steps}, 'c');
  }
}
