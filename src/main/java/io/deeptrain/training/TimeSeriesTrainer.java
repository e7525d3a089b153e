package io.deeptrain.training;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.Standardization;
import io.deeptrain.dataset.TimeSeries;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.system.ApiException;
import java.util.ArrayList;
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
 * Trains a forecaster (an LSTM with the REGRESSION head) on a time series: each window of rows
 * predicts the last column's next {@code horizon} values, with squared error on standardised
 * values. Windows whose targets lie in the first 80% of the rows train (and give the
 * standardisation); windows whose targets lie after it test, so the test never sees the future.
 * After each epoch {@code test_mae} and {@code test_rmse} are measured in the data's own units,
 * beside the naive forecast (the window's last value, repeated) as {@code naive_mae} and {@code
 * naive_rmse}, recorded once at epoch 0.
 *
 * <p>Not yet: checkpoints, early stopping and SGD-G2.
 */
@Service
public class TimeSeriesTrainer {

  private final DatasetCatalog datasets;
  private final LstmBuilder builder;
  private final MetricRecorder metrics;
  private final MetricProperties metricProperties;

  public TimeSeriesTrainer(
      DatasetCatalog datasets,
      LstmBuilder builder,
      MetricRecorder metrics,
      MetricProperties metricProperties) {
    this.datasets = datasets;
    this.builder = builder;
    this.metrics = metrics;
    this.metricProperties = metricProperties;
  }

  /** Whether this trainer trains the spec. */
  public static boolean trains(ModelSpec spec) {
    return spec instanceof LstmSpec lstm && lstm.headOrDefault() == LstmSpec.Head.REGRESSION;
  }

  public TrainedModel train(TrainingRequest request, TrainingControl control) {
    TrainingSpec training = request.training().resolved();
    LstmSpec spec = (LstmSpec) request.spec();
    if (training.optimizer() == Optimizer.SGD_G2 || training.earlyStopping() != null) {
      throw new TrainingFailedException(
          "forecasters do not support SGD_G2 or early stopping yet; use ADAM without"
              + " earlyStopping");
    }
    TimeSeries series;
    try {
      series = datasets.openTimeSeries(request.dataset());
    } catch (ApiException e) {
      throw new TrainingFailedException(
          "dataset '" + request.dataset() + "' is not a time series (any more)", e);
    }
    int cols = series.columns().size();
    int window = series.window();
    int horizon = series.horizon();
    int rows = series.values().length;
    int split = series.splitRow(training.testFraction());
    Standardization norm = standardization(series.values(), split);
    float[][] scaled = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      double[] v = norm.apply(series.values()[r].clone());
      for (int c = 0; c < cols; c++) {
        scaled[r][c] = (float) v[c];
      }
    }
    List<Integer> trainStarts = new ArrayList<>();
    List<Integer> testStarts = new ArrayList<>();
    for (int s = 0; s + window + horizon <= rows; s++) {
      if (s + window + horizon <= split) {
        trainStarts.add(s);
      } else if (s + window >= split) {
        testStarts.add(s);
      }
    }
    int[] train = trainStarts.stream().mapToInt(Integer::intValue).toArray();
    int[] test = testStarts.stream().mapToInt(Integer::intValue).toArray();
    if (training.maxTrainExamples() != null && train.length > training.maxTrainExamples()) {
      train = Arrays.copyOfRange(train, train.length - training.maxTrainExamples(), train.length);
    }
    int batchSize = Math.min(training.batchSize(), train.length);
    int iterationsPerEpoch = (train.length + batchSize - 1) / batchSize;

    ISchedule schedule = LearningRateSchedule.of(training, iterationsPerEpoch);
    IUpdater updater = UpdaterFactory.create(training, schedule);
    MultiLayerNetwork mln =
        new MultiLayerNetwork(
            builder.build(spec, cols, horizon, UpdaterFactory.options(training, updater)));
    mln.init();
    Nd4j.getRandom().setSeed(training.seed());
    int target = cols - 1;
    double mean = norm.mean().get(target);
    double std = norm.std().get(target);
    try (TrainableNetwork net = TrainableNetwork.of(mln)) {
      TrainingStep step = TrainingStep.of(net, updater, LearningRateSchedule.byIteration(training));
      control.starting(ResumePoint.start());
      Errors naive = naive(series.values(), test, window, horizon, target);
      metrics.record(request.jobId(), "naive_mae", 0, 0, naive.mae());
      metrics.record(request.jobId(), "naive_rmse", 0, 0, naive.rmse());
      int[] order = new int[train.length];
      long iteration = 0;
      double lastFinite = Double.NaN;
      Map<String, Double> last = Map.of();
      for (int epoch = 1; epoch <= training.epochs(); epoch++) {
        long epochStart = System.nanoTime();
        EpochOrder.fill(order, training.seed(), epoch);
        for (int start = 0; start < train.length; start += batchSize) {
          if (control.stopRequested()) {
            throw new TrainingCancelledException(
                "stopped at epoch " + epoch + ", iteration " + (iteration + 1));
          }
          int[] batch = new int[Math.min(batchSize, train.length - start)];
          for (int b = 0; b < batch.length; b++) {
            batch[b] = train[order[start + b]];
          }
          double loss;
          try (INDArray x = windows(scaled, batch, window, cols);
              INDArray y = targets(scaled, batch, window, horizon, target)) {
            loss = step.fit(x, y);
          }
          iteration++;
          if (!Double.isFinite(loss)) {
            throw TrainingRunner.diverged(loss, epoch, iteration, lastFinite, training);
          }
          lastFinite = loss;
          if (iteration % metricProperties.iterationEvery() == 0) {
            metrics.record(request.jobId(), ResumePoint.Series.LOSS, iteration, epoch, loss);
            if (step.variesWithinEpoch()) {
              metrics.record(
                  request.jobId(),
                  ResumePoint.Series.LEARNING_RATE_STEP,
                  iteration,
                  epoch,
                  step.learningRate());
            }
          }
        }
        // Read before the epoch counter moves: the rate the epoch's last step really used.
        double learningRate = step.learningRate();
        net.incrementEpochCount();
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        Errors model;
        try (INDArray x = windows(scaled, test, window, cols);
            INDArray out = mln.output(x, false)) {
          float[][] p = out.toFloatMatrix();
          model =
              Errors.of(
                  series.values(), test, window, horizon, target, (i, h) -> p[i][h] * std + mean);
        }
        metrics.record(request.jobId(), "test_mae", epoch, epoch, model.mae());
        metrics.record(request.jobId(), "test_rmse", epoch, epoch, model.rmse());
        if (!Double.isNaN(learningRate)) {
          metrics.record(request.jobId(), "learning_rate", epoch, epoch, learningRate);
        }
        metrics.record(request.jobId(), "samples_per_second", epoch, epoch, train.length / seconds);
        metrics.record(request.jobId(), "epoch_seconds", epoch, epoch, seconds);
        control.epochCompleted(epoch, training.epochs());
        Map<String, Double> now = new LinkedHashMap<>();
        now.put("test_rmse", model.rmse());
        now.put("test_mae", model.mae());
        now.put("naive_rmse", naive.rmse());
        now.put("naive_mae", naive.mae());
        last = Map.copyOf(now);
      }
      return new TrainedModel(
          net.serialize(),
          net.mediaType(),
          series.targets(),
          series.inputShape(),
          norm,
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

  /** Mean absolute and root-mean-square error over every window and horizon step. */
  record Errors(double mae, double rmse) {

    interface Forecast {
      double at(int window, int step);
    }

    static Errors of(
        double[][] values, int[] starts, int window, int horizon, int target, Forecast f) {
      double abs = 0;
      double sq = 0;
      long n = 0;
      for (int i = 0; i < starts.length; i++) {
        for (int h = 0; h < horizon; h++) {
          double e = f.at(i, h) - values[starts[i] + window + h][target];
          abs += Math.abs(e);
          sq += e * e;
          n++;
        }
      }
      return new Errors(abs / n, Math.sqrt(sq / n));
    }
  }

  /** The baseline every forecaster must beat: the window's last value, for every step ahead. */
  static Errors naive(double[][] values, int[] starts, int window, int horizon, int target) {
    return Errors.of(
        values, starts, window, horizon, target, (i, h) -> values[starts[i] + window - 1][target]);
  }

  static Standardization standardization(double[][] values, int rows) {
    int cols = values[0].length;
    List<Double> mean = new ArrayList<>();
    List<Double> std = new ArrayList<>();
    for (int c = 0; c < cols; c++) {
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += values[r][c];
      }
      double m = sum / rows;
      double var = 0;
      for (int r = 0; r < rows; r++) {
        var += (values[r][c] - m) * (values[r][c] - m);
      }
      double s = Math.sqrt(var / rows);
      mean.add(m);
      // A constant column carries no signal; dividing by 1 keeps it finite.
      std.add(s > 1e-12 ? s : 1.0);
    }
    return new Standardization(mean, std);
  }

  /** [n, columns, window], DL4J's recurrent layout. */
  private static INDArray windows(float[][] scaled, int[] starts, int window, int cols) {
    float[] data = new float[starts.length * cols * window];
    for (int b = 0; b < starts.length; b++) {
      for (int t = 0; t < window; t++) {
        for (int c = 0; c < cols; c++) {
          data[(b * cols + c) * window + t] = scaled[starts[b] + t][c];
        }
      }
    }
    return Nd4j.create(data, new long[] {starts.length, cols, window}, 'c');
  }

  private static INDArray targets(
      float[][] scaled, int[] starts, int window, int horizon, int target) {
    float[] data = new float[starts.length * horizon];
    for (int b = 0; b < starts.length; b++) {
      for (int h = 0; h < horizon; h++) {
        data[b * horizon + h] = scaled[starts[b] + window + h][target];
      }
    }
    return Nd4j.create(data, new long[] {starts.length, horizon}, 'c');
  }
}
