package io.deeptrain.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Job metrics for Prometheus: the queue by status (one grouped query, cached so that a gauge per
 * status and frequent scrapes cost one query every few seconds), jobs finished on this replica by
 * result, and how long their runs took.
 */
@Component
class JobMetrics implements MeterBinder {

  static final Duration QUEUE_CACHE = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final Clock clock;
  private volatile MeterRegistry registry;
  private Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
  private Instant countedAt = Instant.MIN;

  JobMetrics(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    for (JobStatus status : JobStatus.values()) {
      Gauge.builder("deeptrain.jobs.queue", this, m -> m.count(status))
          .description("Jobs in the queue table by status (all replicas)")
          .tag("status", status.name())
          .register(registry);
    }
  }

  /** A run on this replica ended: result is SUCCEEDED, FAILED, CANCELLED, HANDED_BACK or LOST. */
  void finished(String result, long nanos) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    Counter.builder("deeptrain.jobs.completed")
        .description("Job runs that ended on this replica, by result")
        .tag("result", result)
        .register(r)
        .increment();
    Timer.builder("deeptrain.jobs.duration")
        .description("Wall time of a job run on a worker, by result")
        .tag("result", result)
        .register(r)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private synchronized double count(JobStatus status) {
    Instant now = clock.instant();
    if (Duration.between(countedAt, now).compareTo(QUEUE_CACHE) >= 0) {
      Map<JobStatus, Long> fresh = new EnumMap<>(JobStatus.class);
      jdbc.sql("SELECT status, count(*) AS n FROM jobs GROUP BY status")
          .query(
              rs -> {
                fresh.put(JobStatus.valueOf(rs.getString("status")), rs.getLong("n"));
              });
      counts = fresh;
      countedAt = now;
    }
    return counts.getOrDefault(status, 0L);
  }
}
