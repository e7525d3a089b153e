package io.deeptrain.training;

import java.util.Map;
import java.util.Set;

/**
 * Where a training run stands, in terms that let another worker continue it exactly: the epochs and
 * batches done, the global iteration, ND4J's random state (dropout masks) and the metrics of the
 * last finished epoch (the model's final metrics if no epoch is left to run).
 *
 * <p>The order of the examples is not stored: epoch {@code e}'s order is a pure function of the
 * seed and {@code e} ({@link EpochOrder}), so skipping {@code batchesDone} batches of it is enough.
 *
 * @param epochsDone finished epochs
 * @param batchesDone batches of epoch {@code epochsDone + 1} already trained
 * @param iteration iterations (batches) trained since the start of the job
 * @param trainRows examples per epoch; a checkpoint taken on other data is not resumed
 * @param rngRoot ND4J's per-thread random generator, root state
 * @param rngNode ND4J's per-thread random generator, node state
 * @param lastMetrics metrics of epoch {@code epochsDone} (empty before the first)
 */
public record ResumePoint(
    int epochsDone,
    int batchesDone,
    long iteration,
    int trainRows,
    long rngRoot,
    long rngNode,
    Map<String, Double> lastMetrics) {

  /**
   * Series whose step is the iteration; every other series' step is the epoch. Points after a
   * resume point are discarded before the run continues, so each is written again exactly once.
   */
  public static final Set<String> ITERATION_SERIES = Set.of(Series.LOSS, Series.LEARNING_RATE_STEP);

  /** The names of the per-iteration series, written by every training loop. */
  public static final class Series {
    /** The mini-batch loss, every {@code iterationEvery} iterations. */
    public static final String LOSS = "loss";

    /** The step actually taken, where it changes within an epoch (SGD-G2, iteration schedules). */
    public static final String LEARNING_RATE_STEP = "learning_rate_step";

    private Series() {}
  }

  public ResumePoint {
    lastMetrics = lastMetrics == null ? Map.of() : Map.copyOf(lastMetrics);
  }

  /** A run that starts from scratch. */
  public static ResumePoint start() {
    return new ResumePoint(0, 0, 0, 0, 0, 0, Map.of());
  }

  public boolean fromScratch() {
    return iteration == 0 && epochsDone == 0;
  }
}
