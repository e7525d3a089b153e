package io.deeptrain.job;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.compute.DeviceBinder;
import io.deeptrain.compute.DeviceInventory;
import io.deeptrain.compute.DeviceSlots;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's worker threads. A slot is taken when a job is claimed and freed when its run ends;
 * on shutdown running jobs are asked to stop and handed back to the queue.
 */
@Component
class JobWorkers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

  private final JobProperties props;
  private final JobExecution execution;
  private final ComputeBackend compute;
  private final DeviceSlots slots;
  private final AtomicReferenceArray<RunningJob> bySlot;
  private final Clock clock;
  private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
  private final AtomicInteger busy = new AtomicInteger();
  private volatile Runnable onSlotFreed = () -> {};
  private volatile ExecutorService pool;
  private volatile boolean accepting;

  JobWorkers(
      JobProperties props,
      JobExecution execution,
      ComputeBackend compute,
      DeviceInventory devices,
      DeviceBinder binder,
      Clock clock) {
    this.props = props;
    this.execution = execution;
    this.compute = compute;
    this.clock = clock;
    this.slots = DeviceSlots.plan(devices, props.workers(), binder);
    this.bySlot = new AtomicReferenceArray<>(slots.count());
  }

  DeviceSlots slots() {
    return slots;
  }

  /** The run on each worker slot now (null: idle), in slot order. */
  List<RunningJob> runsBySlot() {
    List<RunningJob> list = new java.util.ArrayList<>(bySlot.length());
    for (int i = 0; i < bySlot.length(); i++) {
      list.add(bySlot.get(i));
    }
    return list;
  }

  void onSlotFreed(Runnable listener) {
    this.onSlotFreed = listener;
  }

  int freeSlots() {
    return accepting ? slots.count() - busy.get() : 0;
  }

  /**
   * The runs on this replica's workers now. A caller that decides about them later (the heartbeat)
   * acts on these objects, never by job id: by then the id may belong to a new attempt of the job.
   */
  List<RunningJob> runs() {
    return List.copyOf(running.values());
  }

  /** Runs a claimed job; the caller made sure a slot is free. */
  void start(Job job) {
    busy.incrementAndGet();
    RunningJob run =
        new RunningJob(
            job,
            done -> execution.progress(job, done),
            from -> execution.starting(job, from),
            warning -> execution.warn(job, warning),
            clock,
            job.timeout(props));
    running.put(job.id(), run);
    try {
      pool.execute(
          () -> {
            int slot = slots.currentSlot();
            bySlot.set(slot, run);
            try {
              execution.run(run);
            } finally {
              bySlot.set(slot, null);
              running.remove(job.id());
              busy.decrementAndGet();
              onSlotFreed.run();
            }
          });
    } catch (RuntimeException e) {
      running.remove(job.id());
      busy.decrementAndGet();
      execution.handBack(run);
      throw e;
    }
  }

  void requestStop(UUID id, RunningJob.StopReason reason) {
    RunningJob run = running.get(id);
    if (run != null) {
      run.requestStop(reason);
    }
  }

  @Override
  public void start() {
    // OpenMP's thread count is per thread: workers must come from the compute backend's factory.
    // Each thread also binds to its slot's device (one worker per GPU with CUDA).
    ThreadFactory threads = slots.threadFactory(compute.threadFactory("deeptrain-worker-"));
    pool =
        new ThreadPoolExecutor(
            slots.count(),
            slots.count(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = threads.newThread(r);
              t.setDaemon(true);
              return t;
            });
    accepting = true;
  }

  @Override
  public void stop() {
    accepting = false;
    running.values().forEach(r -> r.requestStop(RunningJob.StopReason.SHUTDOWN));
    pool.shutdown();
    try {
      // Each run stops at its next iteration, checkpoints and hands its job back (QUEUED, attempt
      // not counted). One that cannot within the grace period keeps its owner: the reaper of
      // another replica requeues it once its heartbeat is stale.
      if (!pool.awaitTermination(props.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Workers did not stop within {} (deeptrain.jobs.shutdown-grace); their jobs will be"
                + " requeued by another replica's reaper",
            props.shutdownGrace());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return accepting;
  }

  /** Stops after the dispatcher (which feeds it) and before the metric writer. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1000;
  }
}
