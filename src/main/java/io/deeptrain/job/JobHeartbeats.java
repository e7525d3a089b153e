package io.deeptrain.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Two duties on one scheduler thread. The heartbeat proves this replica still runs its jobs (and
 * hears of cancellations and lost ownership); the reaper requeues jobs of replicas that stopped
 * proving it. Only stale jobs are touched, so a starting replica never takes a live one's work.
 */
@Component
class JobHeartbeats implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobHeartbeats.class);

  private final JobProperties props;
  private final JobRepository jobs;
  private final JobWorkers workers;
  private final JobDispatcher dispatcher;
  private final ReplicaIdentity replica;
  private volatile ScheduledExecutorService scheduler;

  /** When this replica's heartbeats began to get through without a failure (nanoTime); -1: not. */
  private volatile long beatingSince = -1;

  JobHeartbeats(
      JobProperties props,
      JobRepository jobs,
      JobWorkers workers,
      JobDispatcher dispatcher,
      ReplicaIdentity replica) {
    this.props = props;
    this.jobs = jobs;
    this.workers = workers;
    this.dispatcher = dispatcher;
    this.replica = replica;
    if (props.staleAfter().compareTo(props.heartbeatInterval().multipliedBy(3)) < 0) {
      throw new IllegalStateException(
          "deeptrain.jobs.stale-after ("
              + props.staleAfter()
              + ") must be at least 3 x deeptrain.jobs.heartbeat-interval ("
              + props.heartbeatInterval()
              + "), or live jobs would be requeued");
    }
  }

  void beat() {
    // The runs as they were before the query: a job requeued and claimed again in between is a new
    // run, which this beat must not declare lost on the strength of the old one's absence.
    List<RunningJob> local = workers.runs();
    List<JobRepository.OwnedJob> owned;
    try {
      owned = jobs.heartbeat(replica.id());
    } catch (RuntimeException e) {
      beatingSince = -1;
      throw e;
    }
    if (beatingSince < 0) {
      beatingSince = System.nanoTime();
    }
    Map<UUID, Boolean> cancel = new HashMap<>();
    owned.forEach(o -> cancel.put(o.id(), o.cancelRequested()));
    for (RunningJob run : local) {
      Boolean cancelRequested = cancel.get(run.id());
      if (cancelRequested == null) {
        run.requestStop(RunningJob.StopReason.LOST);
      } else if (cancelRequested) {
        run.requestStop(RunningJob.StopReason.CANCELLED);
      }
    }
  }

  /**
   * Only once this replica's own heartbeats have got through for {@code staleAfter}: after a
   * database outage every job's heartbeat looks stale, though its replica is alive and beats again
   * within one interval of the database coming back. Reaping earlier would requeue live jobs (this
   * replica's own included) and make them start over from their checkpoints.
   */
  void reap() {
    long since = beatingSince;
    if (since < 0 || System.nanoTime() - since < props.staleAfter().toNanos()) {
      return;
    }
    List<JobRepository.Reaped> reaped =
        jobs.reapStale(props.staleAfter(), props.retryBackoff(), props.maxRetryBackoff());
    for (JobRepository.Reaped r : reaped) {
      log.warn("Job {} had a stale heartbeat: now {}", r.id(), r.status());
    }
    if (reaped.stream().anyMatch(r -> r.status() == JobStatus.QUEUED)) {
      jobs.notifyQueued();
      dispatcher.wakeUp();
    }
  }

  private Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("{} failed: {}", what, e.getMessage());
      }
    };
  }

  @Override
  public void start() {
    if (!props.dispatch()) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "deeptrain-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long beat = props.heartbeatInterval().toMillis();
    long reap = props.reaperInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        guarded("Heartbeat", this::beat), beat, beat, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        guarded("Reaper", this::reap), reap / 2, reap, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }

  /** Keeps beating while the workers wind down. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1500;
  }
}
