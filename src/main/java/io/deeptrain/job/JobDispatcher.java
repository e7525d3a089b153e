package io.deeptrain.job;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Claims queued jobs when a worker slot is free. Every replica runs one; they never need to agree
 * on a leader because the claim is a single {@code FOR UPDATE SKIP LOCKED} statement. It wakes on a
 * PostgreSQL notification (a job was queued), when a local slot frees, or after the poll interval.
 */
@Component
class JobDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);

  private final JobProperties props;
  private final JobRepository jobs;
  private final JobWorkers workers;
  private final ReplicaIdentity replica;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean signalled;
  private volatile boolean running;
  private Thread thread;

  JobDispatcher(
      JobProperties props, JobRepository jobs, JobWorkers workers, ReplicaIdentity replica) {
    this.props = props;
    this.jobs = jobs;
    this.workers = workers;
    this.replica = replica;
  }

  /** Look for work now. */
  void wakeUp() {
    lock.lock();
    try {
      signalled = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    long backoffMs = 500;
    while (running) {
      try {
        int free = workers.freeSlots();
        if (free > 0) {
          List<Job> claimed = jobs.claim(replica.id(), free, props.maxRunningPerKey());
          for (Job job : claimed) {
            log.debug("Claimed job {} (attempt {})", job.id(), job.attempt());
            workers.start(job);
          }
          backoffMs = 500;
          if (claimed.size() == free) {
            continue; // there may be more
          }
        }
        await(props.pollInterval().toMillis());
      } catch (RuntimeException e) {
        log.warn(
            "Dispatcher could not claim jobs, retrying in {} ms: {}", backoffMs, e.getMessage());
        await(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 10_000);
      }
    }
  }

  private void await(long millis) {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
      while (!signalled && running && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void start() {
    if (!props.dispatch()) {
      log.info(
          "Dispatch disabled (deeptrain.jobs.dispatch=false): this replica serves the API only");
      return;
    }
    running = true;
    workers.onSlotFreed(this::wakeUp);
    thread = new Thread(this::loop, "deeptrain-dispatcher");
    thread.setDaemon(true);
    thread.start();
    log.info("Dispatcher started as {} with {} worker(s)", replica.id(), props.workers());
  }

  @Override
  public void stop() {
    running = false;
    wakeUp();
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 500;
  }
}
