package io.deeptrain.training;

import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop's side of checkpoints: when to take one, what goes into it, and how a run picks
 * up from one. Serialising the network happens here, on the training thread (a network is not
 * thread-safe); storing the bytes is the {@link CheckpointStore}'s business.
 */
final class RunCheckpoints {

  private static final Logger log = LoggerFactory.getLogger(RunCheckpoints.class);

  /** A network restored from a checkpoint, and where its run stood. */
  record Resumed(TrainableNetwork net, ResumePoint from) {}

  private final CheckpointStore store;
  private final int rows;
  private final int batchSize;
  private long savedIteration = -1;

  RunCheckpoints(CheckpointStore store, int rows, int batchSize, ResumePoint from) {
    this.store = store;
    this.rows = rows;
    this.batchSize = batchSize;
    this.savedIteration = from.fromScratch() ? -1 : from.iteration();
  }

  /**
   * The newest checkpoint of the job, restored, if there is one taken on the same training data;
   * otherwise empty and the run starts from scratch.
   */
  static Optional<Resumed> resume(CheckpointStore store, int trainRows) {
    Optional<Checkpoint> latest = store.latest();
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    Checkpoint c = latest.get();
    if (c.position().trainRows() != trainRows) {
      log.warn(
          "Checkpoint at iteration {} was taken on {} training examples, the data now has {}:"
              + " starting from scratch",
          c.position().iteration(),
          c.position().trainRows(),
          trainRows);
      return Optional.empty();
    }
    try {
      TrainableNetwork net = TrainableNetwork.restore(c.model(), c.mediaType());
      // After the restore: loading a network may draw from the generator.
      Nd4j.getRandom().setStates(c.position().rngRoot(), c.position().rngNode());
      return Optional.of(new Resumed(net, c.position()));
    } catch (Exception e) {
      log.warn(
          "Checkpoint at iteration {} could not be restored ({}): starting from scratch",
          c.position().iteration(),
          e.toString());
      return Optional.empty();
    }
  }

  /** After an iteration: every N iterations, unless the epoch ends now (that one follows). */
  void iterationDone(
      TrainableNetwork net, int epoch, int batchesDone, long iteration, Map<String, Double> last) {
    int every = store.everyIterations();
    boolean epochEnds = (long) batchesDone * batchSize >= rows;
    if (every > 0 && iteration % every == 0 && !epochEnds) {
      save(net, epoch - 1, batchesDone, iteration, last);
    }
  }

  /** After an epoch's metrics are recorded. */
  void epochDone(TrainableNetwork net, int epoch, long iteration, Map<String, Double> last) {
    save(net, epoch, 0, iteration, last);
  }

  /** Before a run that was asked to stop gives up, so a resume loses nothing. */
  void stopping(
      TrainableNetwork net,
      TrainingControl control,
      int epoch,
      int batchesDone,
      long iteration,
      Map<String, Double> last) {
    if (control.checkpointOnStop() && iteration != savedIteration) {
      save(net, epoch - 1, batchesDone, iteration, last);
    }
  }

  private void save(
      TrainableNetwork net,
      int epochsDone,
      int batchesDone,
      long iteration,
      Map<String, Double> last) {
    long t0 = System.nanoTime();
    Random rng = Nd4j.getRandom();
    ResumePoint at =
        new ResumePoint(
            epochsDone, batchesDone, iteration, rows, rng.rootState(), rng.nodeState(), last);
    byte[] model = net.checkpoint();
    store.save(new Checkpoint(at, net.mediaType(), model, System.nanoTime() - t0));
    savedIteration = iteration;
  }
}
