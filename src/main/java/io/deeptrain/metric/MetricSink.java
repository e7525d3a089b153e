package io.deeptrain.metric;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where training writes its metrics: a bounded buffer drained by one writer thread, one INSERT per
 * batch (idempotent). Training only waits when the buffer is full (the database is down or slow); a
 * failed batch is retried, never dropped. If the buffer stays full past {@code maxWait}, {@link
 * #record} throws so the job fails with that reason instead of losing points.
 */
@Component
public class MetricSink implements MetricRecorder, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MetricSink.class);
  // Takes n numbers from the job's counter; its row stays locked until the batch commits, so for
  // one job a larger seq is never visible before a smaller one (see V11, V14).
  private static final String RESERVE_SEQ =
      "INSERT INTO metric_sequences AS s (job_id, last_seq) VALUES (?, ?)"
          + " ON CONFLICT (job_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq"
          + " RETURNING last_seq";
  // The whole batch in one statement: row-by-row INSERTs cost a round trip each.
  private static final String INSERT =
      "INSERT INTO metric_points (job_id, name, step, epoch, value, recorded_at, seq)"
          + " SELECT * FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::int[], ?::float8[],"
          + " ?::timestamptz[], ?::bigint[])"
          + " ON CONFLICT (job_id, name, step) DO NOTHING";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
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
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      MetricProperties props,
      Clock clock,
      TrainingThroughput throughput) {
    this.jdbc = jdbc;
    this.transactions = transactions;
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
        // pgjdbc can throw AssertionError ("getAutoCommit() should not throw") when the server
        // ends the connection mid-write (a PostgreSQL restart): the batch is retried like any
        // failed write, or this thread would die and every later point be lost.
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
    // Jobs in a fixed order, so two replicas writing the same jobs lock their counters alike.
    Map<UUID, List<MetricPoint>> byJob = new TreeMap<>();
    for (MetricPoint p : batch) {
      byJob.computeIfAbsent(p.jobId(), k -> new ArrayList<>()).add(p);
    }
    transactions.executeWithoutResult(
        tx -> {
          int n = batch.size();
          Object[] jobIds = new Object[n];
          String[] names = new String[n];
          Long[] steps = new Long[n];
          Integer[] epochs = new Integer[n];
          Double[] values = new Double[n];
          Timestamp[] times = new Timestamp[n];
          Long[] seqs = new Long[n];
          int i = 0;
          for (Map.Entry<UUID, List<MetricPoint>> job : byJob.entrySet()) {
            List<MetricPoint> points = job.getValue();
            Long last =
                jdbc.queryForObject(RESERVE_SEQ, Long.class, job.getKey(), (long) points.size());
            long seq = last - points.size() + 1;
            for (MetricPoint p : points) {
              jobIds[i] = p.jobId();
              names[i] = p.name();
              steps[i] = p.step();
              epochs[i] = p.epoch();
              values[i] = p.value();
              times[i] = Timestamp.from(p.recordedAt());
              seqs[i++] = seq++;
            }
          }
          jdbc.update(
              con -> {
                PreparedStatement ps = con.prepareStatement(INSERT);
                ps.setArray(1, con.createArrayOf("uuid", jobIds));
                ps.setArray(2, con.createArrayOf("text", names));
                ps.setArray(3, con.createArrayOf("int8", steps));
                ps.setArray(4, con.createArrayOf("int4", epochs));
                ps.setArray(5, con.createArrayOf("float8", values));
                ps.setArray(6, con.createArrayOf("timestamptz", times));
                ps.setArray(7, con.createArrayOf("int8", seqs));
                return ps;
              });
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
