package io.deeptrain.generative;

import io.deeptrain.training.Checkpoint;
import io.deeptrain.training.CheckpointStore;
import io.deeptrain.training.ResumePoint;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SameDiff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Epoch-end checkpoints of a generative run: the whole SameDiff graph with its updater state. A
 * generative loop draws its noise from generators seeded by (seed, epoch), so an epoch restarted
 * from its beginning replays exactly; no random state needs saving.
 */
public final class GenerativeCheckpoints {

  private static final Logger log = LoggerFactory.getLogger(GenerativeCheckpoints.class);

  /** A graph restored from a checkpoint (with updater state), and where its run stood. */
  public record Resumed(SameDiff graph, ResumePoint from) {}

  private GenerativeCheckpoints() {}

  /**
   * The job's newest checkpoint, if it is a SameDiff graph taken on {@code trainRows} examples;
   * otherwise empty and the run starts from scratch.
   */
  public static Optional<Resumed> resume(CheckpointStore store, int trainRows) {
    Optional<Checkpoint> latest = store.latest();
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    Checkpoint c = latest.get();
    if (!SameDiffArtifacts.MEDIA_TYPE.equals(c.mediaType())
        || c.position().trainRows() != trainRows) {
      log.warn(
          "Checkpoint at epoch {} ({}, {} training examples) does not fit this run ({} examples):"
              + " starting from scratch",
          c.position().epochsDone(),
          c.mediaType(),
          c.position().trainRows(),
          trainRows);
      return Optional.empty();
    }
    try {
      return Optional.of(new Resumed(SameDiffArtifacts.load(c.model(), true), c.position()));
    } catch (RuntimeException e) {
      log.warn(
          "Checkpoint at epoch {} could not be restored ({}): starting from scratch",
          c.position().epochsDone(),
          e.toString());
      return Optional.empty();
    }
  }

  /** After epoch {@code epochsDone}'s metrics are recorded. */
  public static void epochDone(
      CheckpointStore store,
      SameDiff graph,
      int epochsDone,
      long iteration,
      int trainRows,
      Map<String, Double> lastMetrics) {
    long t0 = System.nanoTime();
    ResumePoint at = new ResumePoint(epochsDone, 0, iteration, trainRows, 0, 0, lastMetrics);
    byte[] bytes = SameDiffArtifacts.save(graph, true);
    store.save(new Checkpoint(at, SameDiffArtifacts.MEDIA_TYPE, bytes, System.nanoTime() - t0));
  }
}
