package io.deeptrain.inference;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Loads and warms up the versions carrying the configured aliases (default {@code production}) in
 * the background after startup, and holds the instance's readiness until they are ready. A preload
 * that fails does not hold it: it is reported (here and in the log) and the instance goes ready
 * serving the others; so does one still loading after {@code preload-timeout}.
 *
 * <p>As the health contributor {@code modelPreload} it is part of {@code
 * /actuator/health/readiness}; {@link #isReady()} answers {@code /v2/health/ready}.
 */
@Component("modelPreload")
class InferenceReadiness implements HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(InferenceReadiness.class);

  private final ModelCache cache;
  private final JdbcClient jdbc;
  private final InferenceProperties props;
  private final Clock clock;
  private final Map<UUID, String> preloads = new LinkedHashMap<>();
  private final Map<UUID, CompletableFuture<?>> loads = new LinkedHashMap<>();
  private volatile Instant started;

  InferenceReadiness(ModelCache cache, JdbcClient jdbc, InferenceProperties props, Clock clock) {
    this.cache = cache;
    this.jdbc = jdbc;
    this.props = props;
    this.clock = clock;
  }

  @EventListener(ApplicationReadyEvent.class)
  void preload() {
    List<String> aliases = props.preloadAliases();
    Map<UUID, String> found = new LinkedHashMap<>();
    if (!aliases.isEmpty()) {
      jdbc.sql(
              "SELECT model_id, name || '@' || alias AS ref FROM model_aliases"
                  + " WHERE alias IN (:aliases) ORDER BY name, alias")
          .param("aliases", aliases)
          .query(
              (rs, i) ->
                  found.putIfAbsent(rs.getObject("model_id", UUID.class), rs.getString("ref")))
          .list();
    }
    preload(found);
  }

  /** Starts loading these models (id to the reference that named them) in the background. */
  void preload(Map<UUID, String> models) {
    synchronized (this) {
      preloads.putAll(models);
      for (UUID id : models.keySet()) {
        CompletableFuture<?> load;
        try {
          load = cache.load(id);
        } catch (RuntimeException e) {
          load = CompletableFuture.failedFuture(e);
        }
        loads.put(id, load);
      }
      started = clock.instant();
    }
    if (!models.isEmpty()) {
      log.info("Preloading {} model(s) for readiness: {}", models.size(), models.values());
    }
  }

  /**
   * True once every preload is ready or failed (or {@code preload-timeout} has passed since they
   * started): the instance can take traffic.
   */
  synchronized boolean isReady() {
    if (started == null) {
      return false;
    }
    if (loads.values().stream().allMatch(CompletableFuture::isDone)) {
      return true;
    }
    return Duration.between(started, clock.instant()).compareTo(props.preloadTimeout()) >= 0;
  }

  @Override
  public Health health() {
    Map<String, Object> ready = new LinkedHashMap<>();
    Map<String, Object> loading = new LinkedHashMap<>();
    Map<String, Object> failed = new LinkedHashMap<>();
    synchronized (this) {
      for (var e : loads.entrySet()) {
        String ref = preloads.get(e.getKey()) + " (" + e.getKey() + ")";
        CompletableFuture<?> f = e.getValue();
        if (!f.isDone()) {
          loading.put(ref, "loading");
        } else if (f.isCompletedExceptionally()) {
          failed.put(ref, reason(f));
        } else {
          ready.put(ref, "ready");
        }
      }
    }
    Health.Builder health = isReady() ? Health.up() : Health.outOfService();
    return health
        .withDetail("ready", ready.keySet())
        .withDetail("loading", loading.keySet())
        .withDetail("failed", failed)
        .build();
  }

  private static String reason(CompletableFuture<?> f) {
    try {
      f.join();
      return "";
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return cause.getMessage();
    }
  }
}
