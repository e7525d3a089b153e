package io.deeptrain.job;

import io.deeptrain.metric.MetricQuery;
import io.deeptrain.metric.SequencedPoint;
import io.deeptrain.system.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open event streams of this replica, fed by polling PostgreSQL: one scheduled thread reads
 * each watched job once per round and hands each stream to a small pool of senders, which read its
 * metric points after its cursor and write them. Polling the database (not in-process callbacks) is
 * what lets a stream on one replica follow a job trained on another; a fixed number of threads for
 * all streams, and a cap on their number, bound what clients can cost.
 */
@Component
class JobEventStreams implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);

  /**
   * Threads writing to clients. Writes block while a client's socket buffer is full, so they are
   * not done on the polling thread: a slow client delays its own stream, not everyone's.
   */
  private static final int SENDERS = 2;

  /** Milliseconds the browser waits before reconnecting after the stream drops. */
  private static final long RECONNECT_MS = 2_000;

  private final JobService jobs;
  private final MetricQuery metrics;
  private final EventProperties props;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();
  private volatile ScheduledExecutorService poller;
  private volatile ExecutorService senders;

  JobEventStreams(JobService jobs, MetricQuery metrics, EventProperties props) {
    this.jobs = jobs;
    this.metrics = metrics;
    this.props = props;
  }

  /** One client's stream of one job, and what it has been sent. */
  private final class Stream {
    final UUID jobId;
    final SseEmitter emitter;
    volatile EventCursor cursor;
    volatile long lastSentNanos = System.nanoTime();
    volatile boolean first = true;
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicBoolean busy = new AtomicBoolean();

    Stream(UUID jobId, SseEmitter emitter, EventCursor cursor) {
      this.jobId = jobId;
      this.emitter = emitter;
      this.cursor = cursor;
    }

    void send(SseEmitter.SseEventBuilder event) throws IOException {
      if (first) {
        event.reconnectTime(RECONNECT_MS);
        first = false;
      }
      emitter.send(event);
      lastSentNanos = System.nanoTime();
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        streams.remove(this);
        open.decrementAndGet();
      }
    }
  }

  /**
   * Opens a stream of the job after {@code cursor}; null when the job is finished and the client
   * has already seen everything (the controller answers 204, which tells EventSource to stop).
   */
  SseEmitter open(UUID jobId, EventCursor cursor) {
    JobView view = jobs.get(jobId); // 404 for an unknown job
    if (view.status().isFinished()
        && EventCursor.keyOf(view).equals(cursor.viewKey())
        && metrics.after(jobId, cursor.metricSeq(), 1).isEmpty()) {
      return null;
    }
    if (open.incrementAndGet() > props.maxStreams()) {
      open.decrementAndGet();
      throw new ApiException(
          ApiException.Problem.STREAM_LIMIT,
          "this replica already serves "
              + props.maxStreams()
              + " event streams (deeptrain.events.max-streams); retry later or poll GET"
              + " /api/v1/jobs/{id} and /metrics?sinceStep=");
    }
    SseEmitter emitter = new SseEmitter(props.maxDuration().toMillis());
    Stream stream = new Stream(jobId, emitter, cursor);
    emitter.onCompletion(stream::close);
    emitter.onTimeout(stream::close);
    emitter.onError(e -> stream.close());
    streams.add(stream);
    ScheduledExecutorService p = poller;
    if (p != null) {
      // The first events now rather than at the next round.
      p.execute(() -> pollJob(jobId, List.of(stream)));
    }
    return emitter;
  }

  int openStreams() {
    return open.get();
  }

  private void pollAll() {
    Map<UUID, List<Stream>> byJob =
        streams.stream().collect(Collectors.groupingBy(s -> s.jobId, Collectors.toList()));
    byJob.forEach(this::pollJob);
  }

  private void pollJob(UUID jobId, List<Stream> watching) {
    JobView view;
    try {
      // The view first: a finished job's metrics were flushed before its status changed, so
      // reading them afterwards gets every point.
      view = jobs.get(jobId);
    } catch (ApiException notFound) {
      watching.forEach(this::finish);
      return;
    } catch (RuntimeException e) {
      log.warn("Reading job {} for its event streams failed: {}", jobId, e.getMessage());
      return;
    }
    ExecutorService out = senders;
    for (Stream stream : watching) {
      // One send at a time per stream; a stream still busy (a slow client) skips this round.
      if (out != null && !stream.closed.get() && stream.busy.compareAndSet(false, true)) {
        try {
          out.execute(() -> send(stream, view));
        } catch (RejectedExecutionException stopping) {
          stream.busy.set(false);
        }
      }
    }
  }

  private void send(Stream stream, JobView view) {
    try {
      feed(stream, view);
    } catch (IOException | IllegalStateException e) {
      // The client went away; the container completes the emitter.
      stream.close();
    } catch (RuntimeException e) {
      log.warn("Feeding an event stream of job {} failed: {}", stream.jobId, e.getMessage());
    } finally {
      stream.busy.set(false);
    }
  }

  private void feed(Stream stream, JobView view) throws IOException {
    if (stream.closed.get()) {
      return;
    }
    boolean drained = false;
    for (int round = 0; round < 10 && !drained; round++) {
      List<SequencedPoint> points =
          metrics.after(stream.jobId, stream.cursor.metricSeq(), props.batchSize());
      drained = points.size() < props.batchSize();
      if (!points.isEmpty()) {
        EventCursor next = stream.cursor.withSeq(points.get(points.size() - 1).seq());
        stream.send(
            SseEmitter.event()
                .name("metric")
                .id(next.id())
                .data(new ArrayList<>(points), MediaType.APPLICATION_JSON));
        stream.cursor = next;
      }
    }
    String key = EventCursor.keyOf(view);
    if (!key.equals(stream.cursor.viewKey())) {
      EventCursor next = stream.cursor.withView(key);
      stream.send(
          SseEmitter.event().name("status").id(next.id()).data(view, MediaType.APPLICATION_JSON));
      stream.cursor = next;
    }
    if (view.status().isFinished() && drained) {
      finish(stream);
    } else if (System.nanoTime() - stream.lastSentNanos > props.heartbeat().toNanos()) {
      stream.send(SseEmitter.event().comment("heartbeat"));
    }
  }

  private void finish(Stream stream) {
    stream.close();
    // complete() also runs onCompletion, whose close() is then a no-op.
    try {
      stream.emitter.complete();
    } catch (RuntimeException e) {
      // Already completed by the container.
    }
  }

  @Override
  public void start() {
    AtomicInteger n = new AtomicInteger();
    senders =
        Executors.newFixedThreadPool(
            SENDERS,
            r -> {
              Thread t = new Thread(r, "deeptrain-job-events-send-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ScheduledExecutorService p =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "deeptrain-job-events");
              t.setDaemon(true);
              return t;
            });
    long every = props.pollInterval().toMillis();
    p.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    poller = p;
  }

  private void pollSafely() {
    try {
      pollAll();
    } catch (RuntimeException e) {
      log.warn("Polling job event streams failed: {}", e.getMessage());
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService p = poller;
    poller = null;
    if (p != null) {
      p.shutdownNow();
    }
    ExecutorService out = senders;
    senders = null;
    if (out != null) {
      out.shutdownNow();
    }
    List.copyOf(streams).forEach(this::finish);
  }

  @Override
  public boolean isRunning() {
    return poller != null;
  }
}
