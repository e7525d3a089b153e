package io.deeptrain.training;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetInfo;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.Examples;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.CnnSpec;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.system.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Trains a classifier on a tabular dataset: one job, one network, on the calling (worker) thread.
 *
 * <p>The loop is written out instead of using {@code fit(DataSetIterator)} with listeners: the
 * minibatch score is read once per iteration (DL4J has already computed it, so no extra device
 * sync), which is all that divergence detection, cancellation and the iteration metric need.
 * Batches are gathered with one {@code pullRows} from arrays built once per run, with no {@code
 * DataSet} objects or copies of the whole training set per epoch.
 *
 * <p>Metrics: {@code loss} every {@link MetricProperties#iterationEvery()} iterations is DL4J's
 * minibatch score in training mode (cross-entropy plus L1/L2 penalty, with dropout). The per-epoch
 * {@code train_*} and {@code test_*} values are measured after the epoch in inference mode without
 * the penalty, so train and test numbers are directly comparable. {@code learning_rate} per epoch
 * is the rate of the epoch's last step (after a schedule, or SGD-G2's adapted h); when the rate
 * changes within an epoch (SGD-G2, a schedule by iteration) {@code learning_rate_step} records it
 * alongside {@code loss}.
 */
@Service
public class TrainingRunner {

  private static final Logger log = LoggerFactory.getLogger(TrainingRunner.class);

  /** Rows per forward pass when measuring loss and accuracy; bounds activation memory. */
  private static final int EVAL_BATCH = 1024;

  /** Training examples measured for train_loss and train_accuracy after each epoch. */
  static final int MAX_TRAIN_EVAL = 10_000;

  /** Same floor as DL4J's MCXENT clipping, so log(0) never turns a bad prediction into Inf. */
  private static final double MIN_PROBABILITY = 1e-10;

  private final DatasetCatalog datasets;
  private final MlpBuilder mlpBuilder;
  private final CnnBuilder cnnBuilder;
  private final LstmBuilder lstmBuilder;
  private final MetricRecorder metrics;
  private final MetricProperties metricProperties;

  public TrainingRunner(
      DatasetCatalog datasets,
      MlpBuilder mlpBuilder,
      CnnBuilder cnnBuilder,
      LstmBuilder lstmBuilder,
      MetricRecorder metrics,
      MetricProperties metricProperties) {
    this.datasets = datasets;
    this.mlpBuilder = mlpBuilder;
    this.cnnBuilder = cnnBuilder;
    this.lstmBuilder = lstmBuilder;
    this.metrics = metrics;
    this.metricProperties = metricProperties;
  }

  /**
   * Runs the whole training and returns the model with its final metrics.
   *
   * @throws TrainingCancelledException when {@code control} asks to stop
   * @throws TrainingFailedException when training cannot succeed; the message says what to change
   */
  public TrainedModel train(TrainingRequest request, TrainingControl control) {
    return train(request, control, CheckpointStore.none());
  }

  /**
   * Like {@link #train(TrainingRequest, TrainingControl)}, resuming from the newest checkpoint in
   * {@code checkpoints} if there is one and saving new ones as it goes.
   */
  public TrainedModel train(
      TrainingRequest request, TrainingControl control, CheckpointStore checkpoints) {
    TrainingSpec training = request.training().resolved();
    DatasetSplit data = open(request.dataset(), training);
    int classes = data.classes().size();
    ISchedule schedule = LearningRateSchedule.of(training, iterationsPerEpoch(data, training));
    IUpdater updater = UpdaterFactory.create(training, schedule);
    TrainableNetwork net = null;
    try (EarlyStopping early = new EarlyStopping(training.earlyStopping(), training.epochs())) {
      // Checkpoint hook: a restored network comes with its updater state and ND4J random state.
      Optional<RunCheckpoints.Resumed> resumed =
          RunCheckpoints.resume(checkpoints, trainRows(data, training));
      ResumePoint from = resumed.map(RunCheckpoints.Resumed::from).orElse(ResumePoint.start());
      if (resumed.isPresent()) {
        net = resumed.get().net();
        log.info(
            "Job {} resumes from its checkpoint after epoch {} + {} batches (iteration {})",
            request.jobId(),
            from.epochsDone(),
            from.batchesDone(),
            from.iteration());
      } else {
        net = build(request.spec(), data, classes, UpdaterFactory.options(training, updater));
        // init() seeds weight initialisation from the conf; this seeds dropout masks for the run.
        Nd4j.getRandom().setSeed(training.seed());
      }
      control.starting(from);
      // Not in a checkpoint (yet): SGD-G2's adapted step and early stopping's best epoch restart
      // with a resumed run.
      TrainingStep step =
          training.optimizer() == Optimizer.SGD_G2
              ? new SgdG2Step(net, training.learningRate(), schedule, training.seed())
              : TrainingStep.of(net, updater, LearningRateSchedule.byIteration(training));
      Map<String, Double> last =
          fit(
              request.jobId(),
              request.spec(),
              net,
              step,
              training,
              control,
              data,
              early,
              checkpoints,
              from);
      return new TrainedModel(
          net.serialize(),
          net.mediaType(),
          data.classes(),
          data.inputShape(),
          data.standardization(),
          last,
          confusion(
              net,
              view(
                  data.test(),
                  training.maxTestExamples(),
                  training.seed() + 1,
                  request.spec(),
                  net,
                  data),
              classes),
          early.reason());
    } catch (TrainingCancelledException | TrainingFailedException e) {
      throw e;
    } catch (OutOfMemoryError e) {
      throw new TrainingFailedException(
          "ran out of memory while training ("
              + e.getMessage()
              + "); use a smaller batchSize or smaller layers, or give the service more memory"
              + " (-Xmx for the heap, -Dorg.bytedeco.javacpp.maxphysicalbytes for the resident"
              + " memory ND4J's arrays may take)",
          e);
    } catch (RuntimeException e) {
      log.warn("Training of job {} failed", request.jobId(), e);
      throw new TrainingFailedException(
          "training stopped by an unexpected error ("
              + e.getMessage()
              + "); check that the spec fits the dataset, and report it with the job id if it"
              + " happens again",
          e);
    } finally {
      if (net != null) {
        net.close();
      }
    }
  }

  private TrainableNetwork build(
      ModelSpec spec, DatasetSplit data, int classes, NetworkOptions options) {
    if (spec instanceof CnnSpec cnn) {
      if (data.inputShape().size() != 3) {
        throw new TrainingFailedException(
            "a CNN needs image input [channels, height, width]; dataset '"
                + data.info().name()
                + "' has "
                + data.inputShape().get(0)
                + " features: use an MLP");
      }
      ComputationGraph graph =
          new ComputationGraph(cnnBuilder.build(cnn, data.inputShape(), classes, options));
      graph.init();
      return TrainableNetwork.of(graph);
    }
    if (spec instanceof LstmSpec lstm) {
      List<Integer> sequence = lstm.sequenceShape(data.inputShape());
      if (sequence == null || lstm.headOrDefault() != LstmSpec.Head.CLASSIFICATION) {
        throw new TrainingFailedException(
            "this LSTM needs image input read as rows (ROWS_AS_SEQUENCE) and head"
                + " CLASSIFICATION; dataset '"
                + data.info().name()
                + "' has input shape "
                + data.inputShape());
      }
      MultiLayerNetwork net =
          new MultiLayerNetwork(lstmBuilder.build(lstm, sequence.get(1), classes, options));
      net.init();
      return TrainableNetwork.of(net);
    }
    if (!(spec instanceof MlpSpec mlp)) {
      throw new TrainingFailedException("model type " + spec.type() + " cannot be trained yet");
    }
    int inputs = data.inputShape().stream().reduce(1, (a, b) -> a * b);
    MultiLayerConfiguration conf = mlpBuilder.build(mlp, inputs, classes, options);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return TrainableNetwork.of(net);
  }

  private DatasetSplit open(String dataset, TrainingSpec training) {
    try {
      return datasets.open(dataset, training.testFraction(), training.seed());
    } catch (ApiException e) {
      throw new TrainingFailedException(
          "dataset '"
              + dataset
              + "' does not exist (any more); submit the job again with one of "
              + datasets.list().stream().map(DatasetInfo::name).toList(),
          e);
    }
  }

  private Map<String, Double> fit(
      UUID jobId,
      ModelSpec spec,
      TrainableNetwork net,
      TrainingStep step,
      TrainingSpec training,
      TrainingControl control,
      DatasetSplit data,
      EarlyStopping early,
      CheckpointStore checkpoints,
      ResumePoint from) {
    Examples train =
        view(data.train(), training.maxTrainExamples(), training.seed(), spec, net, data);
    Examples test =
        view(data.test(), training.maxTestExamples(), training.seed() + 1, spec, net, data);
    int classes = data.classes().size();
    int epochs = training.epochs();
    int rows = train.size();
    int batchSize = Math.min(training.batchSize(), rows);
    int logEvery = metricProperties.iterationEvery();
    int[] order = new int[rows];
    RunCheckpoints saver = new RunCheckpoints(checkpoints, rows, batchSize, from);
    // train_* is measured on a fixed sample so a large dataset does not pay a second full pass.
    int[] trainSample = EpochOrder.sample(rows, MAX_TRAIN_EVAL, training.seed());
    int[] testAll = new int[test.size()];
    Arrays.setAll(testAll, i -> i);
    long iteration = from.iteration();
    double lastFinite = Double.NaN;
    Map<String, Double> last = from.lastMetrics();

    for (int epoch = from.epochsDone() + 1; epoch <= epochs; epoch++) {
      long epochStart = System.nanoTime();
      EpochOrder.fill(order, training.seed(), epoch);
      int firstRow = epoch == from.epochsDone() + 1 ? from.batchesDone() * batchSize : 0;
      for (int start = firstRow; start < rows; start += batchSize) {
        if (control.stopRequested()) {
          saver.stopping(net, control, epoch, start / batchSize, iteration, last);
          throw new TrainingCancelledException(
              "stopped at epoch " + epoch + ", iteration " + (iteration + 1));
        }
        int[] batch = Arrays.copyOfRange(order, start, Math.min(rows, start + batchSize));
        double loss;
        try (INDArray x = train.features(batch);
            INDArray y = oneHot(train.labels(), batch, classes)) {
          loss = step.fit(x, y);
        }
        iteration++;
        if (!Double.isFinite(loss)) {
          throw diverged(loss, epoch, iteration, lastFinite, training);
        }
        lastFinite = loss;
        if (iteration % logEvery == 0) {
          metrics.record(jobId, ResumePoint.Series.LOSS, iteration, epoch, loss);
          if (step.variesWithinEpoch()) {
            metrics.record(
                jobId,
                ResumePoint.Series.LEARNING_RATE_STEP,
                iteration,
                epoch,
                step.learningRate());
          }
        }
        saver.iterationDone(net, epoch, start / batchSize + 1, iteration, last);
      }
      // The rate of the epoch's last step: with a schedule or SGD-G2 it is what was really used.
      double learningRate = step.learningRate();
      net.incrementEpochCount();
      double trainSeconds = seconds(System.nanoTime() - epochStart);

      Evaluation trainEval = evaluate(net, train, trainSample, classes, null);
      Evaluation testEval = evaluate(net, test, testAll, classes, null);
      if (!Double.isFinite(trainEval.loss()) || !Double.isFinite(testEval.loss())) {
        throw diverged(trainEval.loss(), epoch, iteration, lastFinite, training);
      }
      double epochSeconds = seconds(System.nanoTime() - epochStart);
      metrics.record(jobId, "train_loss", epoch, epoch, trainEval.loss());
      metrics.record(jobId, "train_accuracy", epoch, epoch, trainEval.accuracy());
      metrics.record(jobId, "test_loss", epoch, epoch, testEval.loss());
      metrics.record(jobId, "test_accuracy", epoch, epoch, testEval.accuracy());
      if (!Double.isNaN(learningRate)) {
        // AdaDelta has no learning rate, so there is no series for it.
        metrics.record(jobId, "learning_rate", epoch, epoch, learningRate);
      }
      metrics.record(jobId, "samples_per_second", epoch, epoch, (rows - firstRow) / trainSeconds);
      metrics.record(jobId, "epoch_seconds", epoch, epoch, epochSeconds);
      control.epochCompleted(epoch, epochs);

      Map<String, Double> now = new LinkedHashMap<>();
      now.put("test_accuracy", testEval.accuracy());
      now.put("test_loss", testEval.loss());
      now.put("train_loss", trainEval.loss());
      now.put("train_accuracy", trainEval.accuracy());
      last = Map.copyOf(now);
      saver.epochDone(net, epoch, iteration, last);
      if (early.observe(epoch, last, net.params())) {
        break;
      }
    }
    return early.restoreBest(net.params(), last);
  }

  /** Mini-batches per epoch, as {@link #fit} will cut them. */
  private static int iterationsPerEpoch(DatasetSplit data, TrainingSpec training) {
    int rows = data.train().size();
    if (training.maxTrainExamples() != null) {
      rows = Math.min(rows, training.maxTrainExamples());
    }
    int batch = Math.max(1, Math.min(training.batchSize(), rows));
    return Math.max(1, (rows + batch - 1) / batch);
  }

  /** The one wording of a diverged run, for every training loop. */
  static TrainingFailedException diverged(
      double loss, int epoch, long iteration, double lastFinite, TrainingSpec training) {
    String lossName = Double.isNaN(loss) ? "NaN" : "infinite";
    String lastText = Double.isNaN(lastFinite) ? "none" : String.format("%.6g", lastFinite);
    String lrHint =
        switch (training.optimizer()) {
          case ADADELTA -> "try a smaller rho or epsilon, or another optimizer";
          case SGD_G2 ->
              "try a smaller learning rate (the initial step was "
                  + training.learningRate()
                  + "), a schedule to cap the step";
          default -> "try a smaller learning rate (it was " + training.learningRate() + ")";
        };
    return new TrainingFailedException(
        "loss diverged at epoch "
            + epoch
            + ", iteration "
            + iteration
            + " (last finite loss "
            + lastText
            + ", then "
            + lossName
            + "); "
            + lrHint
            + ", gradient clipping, an adaptive optimizer such as ADAM, or some L2"
            + " regularisation");
  }

  private record Evaluation(double loss, double accuracy) {}

  /**
   * Mean cross-entropy and accuracy in inference mode (no dropout, no L1/L2 penalty) over the given
   * examples; fills {@code confusion} [actual][predicted] when it is not null.
   */
  private static Evaluation evaluate(
      TrainableNetwork net, Examples examples, int[] rows, int classes, int[][] confusion) {
    if (rows.length == 0) {
      return new Evaluation(0, 0);
    }
    int[] labels = examples.labels();
    double lossSum = 0;
    int correct = 0;
    for (int start = 0; start < rows.length; start += EVAL_BATCH) {
      int[] chunk = Arrays.copyOfRange(rows, start, Math.min(rows.length, start + EVAL_BATCH));
      float[][] p;
      try (INDArray x = examples.features(chunk);
          INDArray out = net.output(x)) {
        p = out.toFloatMatrix();
      }
      for (int r = 0; r < p.length; r++) {
        int label = labels[chunk[r]];
        lossSum -= Math.log(Math.max(p[r][label], MIN_PROBABILITY));
        int predicted = argMax(p[r]);
        if (predicted == label) {
          correct++;
        }
        if (confusion != null) {
          confusion[label][predicted]++;
        }
      }
    }
    return new Evaluation(lossSum / rows.length, (double) correct / rows.length);
  }

  /** Rows [actual class], columns [predicted class], over the whole test split. */
  private static List<List<Integer>> confusion(TrainableNetwork net, Examples test, int classes) {
    int[][] counts = new int[classes][classes];
    int[] all = new int[test.size()];
    Arrays.setAll(all, i -> i);
    evaluate(net, test, all, classes, counts);
    List<List<Integer>> out = new ArrayList<>(classes);
    for (int[] row : counts) {
      out.add(Arrays.stream(row).boxed().toList());
    }
    return out;
  }

  /**
   * The examples the network sees: an MLP sees images as flat vectors, an LSTM as sequences of
   * rows; a subset is seeded.
   */
  private static Examples view(
      Examples split,
      Integer max,
      long seed,
      ModelSpec spec,
      TrainableNetwork net,
      DatasetSplit data) {
    if (spec instanceof LstmSpec) {
      return new SequenceExamples(SubsetExamples.of(split, max, seed, false));
    }
    boolean flatten =
        data.inputShape().size() > 1 && TrainableNetwork.MULTI_LAYER.equals(net.mediaType());
    return SubsetExamples.of(split, max, seed, flatten);
  }

  /** Examples per epoch, as {@link SubsetExamples#of} will select them. */
  private static int trainRows(DatasetSplit data, TrainingSpec training) {
    int all = data.train().size();
    Integer max = training.maxTrainExamples();
    return max == null ? all : Math.min(max, all);
  }

  private static int argMax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      // NaN never compares greater, so a NaN row predicts class 0 and its loss reports NaN.
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  private static INDArray oneHot(int[] labels, int[] rows, int classes) {
    float[] out = new float[rows.length * classes];
    for (int r = 0; r < rows.length; r++) {
      out[r * classes + labels[rows[r]]] = 1f;
    }
    return Nd4j.create(out, new long[] {rows.length, classes}, 'c');
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
