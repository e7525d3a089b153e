package io.deeptrain.inference;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param cacheMaxBytes estimated memory of all loaded models together (least recently used evicted
 *     until a newcomer fits; a model larger than this is refused)
 * @param loadTimeout how long a request waits for its model to load before a 503 with Retry-After
 *     (the load goes on in the background)
 * @param loadRetryAfter a failed load is not tried again before this much time has passed
 * @param loaderThreads models loaded at once
 * @param preloadAliases versions carrying one of these aliases are loaded and warmed up at startup
 * @param preloadTimeout readiness waits at most this long for the preloads
 * @param maxInstances inputs per request (a 400 beyond)
 * @param maxRequestSize largest inference request body (a 413 beyond)
 * @param requestTimeout per-request deadline: queued longer than this, a request is dropped with a
 *     503 and never executed
 * @param batching how concurrent requests to one model are merged
 */
@Validated
@ConfigurationProperties("deeptrain.inference")
public record InferenceProperties(
    @DefaultValue("2GB") @NotNull DataSize cacheMaxBytes,
    @DefaultValue("30s") @NotNull Duration loadTimeout,
    @DefaultValue("30s") @NotNull Duration loadRetryAfter,
    @DefaultValue("1") @Min(1) @Max(16) int loaderThreads,
    @DefaultValue("production") @NotNull List<String> preloadAliases,
    @DefaultValue("5m") @NotNull Duration preloadTimeout,
    @DefaultValue("4096") @Min(1) @Max(1_000_000) int maxInstances,
    @DefaultValue("32MB") @NotNull DataSize maxRequestSize,
    @DefaultValue("10s") @NotNull Duration requestTimeout,
    @DefaultValue @Valid @NotNull Batching batching) {

  /**
   * @param maxBatchSize rows merged into one network call; a request with more rows runs alone, in
   *     chunks of this size
   * @param maxDelay how long the first request of a batch waits for others to join it
   * @param queueCapacity requests waiting per model; a full queue answers 503 with Retry-After
   */
  public record Batching(
      @DefaultValue("32") @Min(1) @Max(4096) int maxBatchSize,
      @DefaultValue("2ms") @NotNull Duration maxDelay,
      @DefaultValue("256") @Min(1) @Max(100_000) int queueCapacity) {}
}
