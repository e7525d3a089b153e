package io.deeptrain.job;

import io.deeptrain.training.Checkpoint;
import io.deeptrain.training.CheckpointStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's checkpoints. The training thread hands over the serialised bytes (its own copy) and
 * goes on training while one background thread hashes and INSERTs them; at most one write is in
 * flight, so a slow database makes training wait rather than pile up megabytes. {@link #close}
 * waits for the last write, so a job is never finished or handed back before its checkpoint lands.
 */
final class JobCheckpoints implements CheckpointStore, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobCheckpoints.class);

  /** What the last write cost, for logs and the size/time measurement. */
  record Written(long iteration, long sizeBytes, long captureNanos, long writeNanos) {}

  private final UUID jobId;
  private final String owner;
  private final CheckpointRepository repository;
  private final CheckpointProperties props;
  private ExecutorService writer;
  private Future<?> inFlight;
  private volatile Written lastWritten;

  JobCheckpoints(
      UUID jobId, String owner, CheckpointRepository repository, CheckpointProperties props) {
    this.jobId = jobId;
    this.owner = owner;
    this.repository = repository;
    this.props = props;
  }

  /** The newest checkpoint whose bytes match their hash; an older one if the newest is damaged. */
  @Override
  public Optional<Checkpoint> latest() {
    for (int skip = 0; skip < props.keep(); skip++) {
      Optional<CheckpointRepository.Stored> stored = repository.newest(jobId, skip);
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      if (sha256(stored.get().content()).equals(stored.get().sha256())) {
        return Optional.of(stored.get().checkpoint());
      }
      log.warn(
          "Checkpoint of job {} at iteration {} is damaged (SHA-256 mismatch); trying an older one",
          jobId,
          stored.get().iteration());
    }
    return Optional.empty();
  }

  @Override
  public int everyIterations() {
    return props.everyIterations();
  }

  @Override
  public synchronized void save(Checkpoint checkpoint) {
    awaitInFlight();
    if (writer == null) {
      writer =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t =
                    new Thread(r, "deeptrain-checkpoint-" + jobId.toString().substring(0, 8));
                t.setDaemon(true);
                return t;
              });
    }
    inFlight = writer.submit(() -> write(checkpoint));
  }

  private void write(Checkpoint c) {
    long t0 = System.nanoTime();
    try {
      if (!repository.insert(jobId, owner, c, sha256(c.model()))) {
        log.info(
            "Checkpoint of job {} at iteration {} not stored: this replica no longer runs the job",
            jobId,
            c.position().iteration());
        return;
      }
      repository.prune(jobId, props.keep());
      Written w =
          new Written(
              c.position().iteration(), c.model().length, c.captureNanos(), System.nanoTime() - t0);
      lastWritten = w;
      log.debug(
          "Checkpoint of job {} at epoch {} + {} batches (iteration {}): {} KiB, serialised in {}"
              + " ms on the training thread, stored in {} ms",
          jobId,
          c.position().epochsDone(),
          c.position().batchesDone(),
          w.iteration(),
          w.sizeBytes() / 1024,
          w.captureNanos() / 1_000_000,
          w.writeNanos() / 1_000_000);
    } catch (RuntimeException e) {
      // The previous checkpoint still stands; a resume just repeats a little more work.
      log.warn(
          "Checkpoint of job {} at iteration {} could not be stored: {}",
          jobId,
          c.position().iteration(),
          e.getMessage());
    }
  }

  Written lastWritten() {
    return lastWritten;
  }

  /** Waits for the write in flight, then stops the writer thread. */
  @Override
  public synchronized void close() {
    awaitInFlight();
    if (writer != null) {
      writer.shutdown();
      writer = null;
    }
  }

  private void awaitInFlight() {
    if (inFlight == null) {
      return;
    }
    try {
      inFlight.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warn("Checkpoint write of job {} failed: {}", jobId, e.getCause().toString());
    }
    inFlight = null;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
