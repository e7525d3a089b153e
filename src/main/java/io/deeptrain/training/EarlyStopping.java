package io.deeptrain.training;

import io.deeptrain.spec.EarlyStoppingSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Watches one epoch metric, keeps a copy of the best epoch's parameters, and says when to stop. The
 * run registers the best epoch's model and reports that epoch's metrics, not the last ones.
 *
 * <p>An epoch improves on the best when its value beats the best by more than {@code minDelta}
 * (lower for MIN, higher for MAX); after {@code patience} epochs in a row without an improvement
 * the run stops.
 */
final class EarlyStopping implements AutoCloseable {

  private final EarlyStoppingSpec spec;
  private final int epochs;
  private INDArray bestParams;
  private Map<String, Double> bestMetrics = Map.of();
  private double best = Double.NaN;
  private int bestEpoch;
  private int lastEpoch;
  private int sinceBest;
  private boolean stopped;

  /**
   * @param spec resolved, or null for none (then the run trains every epoch and keeps the last)
   */
  EarlyStopping(EarlyStoppingSpec spec, int epochs) {
    this.spec = spec;
    this.epochs = epochs;
  }

  /** Records one epoch; true when the run should stop now. */
  boolean observe(int epoch, Map<String, Double> metrics, INDArray params) {
    lastEpoch = epoch;
    if (spec == null) {
      return false;
    }
    double value = metrics.get(spec.metric());
    boolean improved =
        Double.isNaN(best)
            || (spec.mode() == EarlyStoppingSpec.Mode.MIN
                ? value < best - spec.minDelta()
                : value > best + spec.minDelta());
    if (improved) {
      best = value;
      bestEpoch = epoch;
      bestMetrics = metrics;
      sinceBest = 0;
      if (bestParams == null) {
        bestParams = params.dup();
      } else {
        bestParams.assign(params);
      }
      return false;
    }
    sinceBest++;
    stopped = sinceBest >= spec.patience();
    return stopped;
  }

  /**
   * Puts the best epoch's parameters back into {@code params} and returns the metrics to report:
   * the best epoch's, plus {@code stoppedEarly} (1 or 0) and {@code bestEpoch}; without early
   * stopping, {@code last} unchanged.
   */
  Map<String, Double> restoreBest(INDArray params, Map<String, Double> last) {
    if (spec == null || bestParams == null) {
      return last;
    }
    params.assign(bestParams);
    Map<String, Double> out = new LinkedHashMap<>(bestMetrics);
    out.put("stoppedEarly", stopped ? 1.0 : 0.0);
    out.put("bestEpoch", (double) bestEpoch);
    return Map.copyOf(out);
  }

  /** Why the run ended, for a person. */
  String reason() {
    if (spec == null) {
      return "completed all " + lastEpoch + " epochs";
    }
    if (stopped) {
      return String.format(
          "early stopping: %s did not improve by %s for %d epochs; best epoch %d (%s %.6g),"
              + " whose model is kept",
          spec.metric(), spec.minDelta(), spec.patience(), bestEpoch, spec.metric(), best);
    }
    return String.format(
        "completed all %d epochs; best epoch %d (%s %.6g), whose model is kept",
        epochs, bestEpoch, spec.metric(), best);
  }

  @Override
  public void close() {
    if (bestParams != null) {
      bestParams.close();
    }
  }
}
