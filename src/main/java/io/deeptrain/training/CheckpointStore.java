package io.deeptrain.training;

import java.util.Optional;

/**
 * Where one run's checkpoints go, bound to its job (and, in the service, to the replica that owns
 * it, so a replica that lost the job writes nothing). Implementations may write in the background;
 * {@link #save} must not keep a reference to anything but the checkpoint's own bytes.
 */
public interface CheckpointStore {

  /** The newest usable checkpoint of the job, if any. */
  Optional<Checkpoint> latest();

  /** Stores a checkpoint; a failure to store is logged, never thrown into the training loop. */
  void save(Checkpoint checkpoint);

  /** Checkpoint every this many iterations as well as at each epoch end; 0: only epoch ends. */
  int everyIterations();

  /** Keeps nothing: training from scratch, as before checkpoints existed. */
  static CheckpointStore none() {
    return new CheckpointStore() {
      @Override
      public Optional<Checkpoint> latest() {
        return Optional.empty();
      }

      @Override
      public void save(Checkpoint checkpoint) {}

      @Override
      public int everyIterations() {
        return 0;
      }
    };
  }
}
