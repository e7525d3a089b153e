package io.deeptrain.metric;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Training samples/s for Prometheus, per model family (MLP, CNN, LSTM, ...: a handful of tag
 * values), from the {@value #SERIES} points trainers record at each epoch end.
 */
@Component
public class TrainingThroughput {

  static final String SERIES = "samples_per_second";

  private final MeterRegistry registry;
  private final Map<UUID, String> familyOfJob = new ConcurrentHashMap<>();

  TrainingThroughput(MeterRegistry registry) {
    this.registry = registry;
  }

  /** While the returned handle is open, the job's throughput counts towards {@code family}. */
  public Tracking track(UUID jobId, String family) {
    familyOfJob.put(jobId, family);
    return () -> familyOfJob.remove(jobId);
  }

  /** A job being tracked; closing it stops the tracking. */
  public interface Tracking extends AutoCloseable {
    @Override
    void close();
  }

  void observe(UUID jobId, String series, double value) {
    if (!SERIES.equals(series) || !Double.isFinite(value)) {
      return;
    }
    String family = familyOfJob.get(jobId);
    if (family == null) {
      return;
    }
    DistributionSummary.builder("deeptrain.training.samples.per.second")
        .description("Training throughput of each epoch, by model family")
        .tag("family", family)
        .register(registry)
        .record(value);
  }
}
