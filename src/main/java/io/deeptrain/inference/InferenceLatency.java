package io.deeptrain.inference;

import io.deeptrain.model.ModelRegistry;
import io.deeptrain.model.ModelVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Latency histograms of inference calls per model for Prometheus, tagged by model name, version and
 * operation. Tag values are bounded: after {@link #MAX_MODELS} distinct model versions, further
 * ones share the tags {@code model="other", version="other"}, so a registry with many versions
 * cannot blow up the series count. Failed calls are not timed (their model may not even exist).
 */
@Component
class InferenceLatency {

  static final int MAX_MODELS = 100;
  static final Tags OTHER = Tags.of("model", "other", "version", "other");

  private final MeterRegistry registry;
  private final ModelRegistry models;
  private final Map<UUID, Tags> tagsOfModel = new ConcurrentHashMap<>();

  InferenceLatency(MeterRegistry registry, ModelRegistry models) {
    this.registry = registry;
    this.models = models;
  }

  <T> T time(UUID modelId, String operation, Supplier<T> call) {
    long start = System.nanoTime();
    T result = call.get();
    long nanos = System.nanoTime() - start;
    Timer.builder("deeptrain.inference.latency")
        .description("Inference call latency per model version and operation")
        .tags(tags(modelId))
        .tag("operation", operation)
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    return result;
  }

  private Tags tags(UUID modelId) {
    Tags known = tagsOfModel.get(modelId);
    if (known != null) {
      return known;
    }
    if (tagsOfModel.size() >= MAX_MODELS) {
      return OTHER;
    }
    // A version's name and number never change: one registry read per version.
    ModelVersion v = models.get(modelId);
    Tags tags = Tags.of("model", v.name(), "version", String.valueOf(v.version()));
    tagsOfModel.putIfAbsent(modelId, tags);
    return tags;
  }
}
