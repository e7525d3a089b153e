package io.deeptrain.metric;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where training writes its metrics: a bounded buffer drained by one writer thread in batched,
 * idempotent INSERTs. Training only waits when the buffer is full (the database is down or slow); a
 * failed batch is retried, never dropped. If the buffer stays full past {@code maxWait}, {@link
 * #record} throws so the job fails with that reason instead of losing points.
 */
@Component
public class MetricSink implements MetricRecorder, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MetricSink.class);
  private static final String INSERT =
      "INSERT INTO metric_points (job_id, name, step, epoch, value, recorded_at)"
          + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, name, step) DO NOTHING";

  private final JdbcTemplate jdbc;
  private final MetricProperties props;
  private final Clock clock;
  private final TrainingThroughput throughput;
  private final BlockingQueue<MetricPoint> buffer;
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Object progress = new Object();
  private volatile boolean running;
  private Thread writer;

  public MetricSink(
      JdbcTemplate jdbc, MetricProperties props, Clock clock, TrainingThroughput throughput) {
    this.jdbc = jdbc;
    this.throughput = throughput;
    this.props = props;
    this.clock = clock;
    this.buffer = new ArrayBlockingQueue<>(props.bufferCapacity());
  }

  /** Records one point; returns at once unless the buffer is full. */
  @Override
  public void record(UUID jobId, String name, long step, int epoch, double value) {
    MetricPoint point = new MetricPoint(jobId, name, step, epoch, value, clock.instant());
    try {
      if (!buffer.offer(point, props.maxWait().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new MetricBufferFullException(
            "metrics could not be written for "
                + props.maxWait().toSeconds()
                + " s (is the database reachable?); the job stopped rather than lose points");
      }
      recorded.incrementAndGet();
      throughput.observe(jobId, name, value);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricBufferFullException("interrupted while waiting to record metrics");
    }
  }

  /** Waits until every point recorded before this call is in the database. */
  public void flush() {
    long target = recorded.get();
    long deadline = System.nanoTime() + props.maxWait().toNanos();
    synchronized (progress) {
      while (written.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new MetricBufferFullException(
              "metrics could not be written within " + props.maxWait().toSeconds() + " s");
        }
        try {
          progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MetricBufferFullException("interrupted while flushing metrics");
        }
      }
    }
  }

  private void drainLoop() {
    List<MetricPoint> batch = new ArrayList<>(props.batchSize());
    long backoffMs = 100;
    while (running || !buffer.isEmpty() || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          MetricPoint first = buffer.poll(props.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          buffer.drainTo(batch, props.batchSize() - 1);
        }
        write(batch);
        written.addAndGet(batch.size());
        batch.clear();
        backoffMs = 100;
        synchronized (progress) {
          progress.notifyAll();
        }
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
      } catch (RuntimeException | AssertionError e) {
        // pgjdbc throws AssertionError ("getAutoCommit() should not throw") from executeBatch when
        // the server ends the connection mid-batch (a PostgreSQL restart): the batch is retried
        // like any failed write, or this thread would die and every later point be lost.
        if (!running) {
          log.error("Dropping {} metric points at shutdown: {}", batch.size(), e.getMessage());
          break;
        }
        log.warn(
            "Writing {} metric points failed, retrying in {} ms: {}",
            batch.size(),
            backoffMs,
            e.getMessage());
        sleepQuietly(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  }

  private void write(List<MetricPoint> batch) {
    jdbc.batchUpdate(
        INSERT,
        batch,
        batch.size(),
        (ps, p) -> {
          ps.setObject(1, p.jobId());
          ps.setString(2, p.name());
          ps.setLong(3, p.step());
          ps.setInt(4, p.epoch());
          ps.setDouble(5, p.value());
          ps.setTimestamp(6, Timestamp.from(p.recordedAt()));
        });
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void start() {
    running = true;
    writer = new Thread(this::drainLoop, "deeptrain-metric-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void stop() {
    running = false;
    if (writer != null) {
      try {
        writer.join(props.maxWait().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops after the job workers (which write metrics) have stopped. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2000;
  }
}
