package io.deeptrain.inference;

import io.deeptrain.system.ApiException;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Models in memory within a byte budget, least recently used evicted first. Loads run on a loader
 * executor, never on a request thread: a request waits up to the load timeout and then gets a 503
 * with Retry-After while the load goes on. Concurrent first requests share one load. A model is
 * ready only after a warm-up inference through its batcher succeeded; a failed load is remembered
 * with its reason and not tried again before {@code load-retry-after}.
 */
@Component
class ModelCache {

  private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

  /** A failed load and when it failed. */
  record Failure(ApiException reason, Instant at) {}

  private final ModelLoader loader;
  private final InferenceProperties props;
  private final Clock clock;
  private final long budget;
  private final ExecutorService loaders;

  // Guarded by this.
  private final LinkedHashMap<UUID, LoadedModel> ready = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<UUID, CompletableFuture<LoadedModel>> loading = new HashMap<>();
  private final Map<UUID, Failure> failures = new HashMap<>();
  // Bytes counted for each ready model when it was admitted.
  private final Map<UUID, Long> charged = new HashMap<>();
  private long usedBytes;

  ModelCache(ModelLoader loader, InferenceProperties props, Clock clock) {
    this.loader = loader;
    this.props = props;
    this.clock = clock;
    this.budget = props.cacheMaxBytes().toBytes();
    AtomicInteger n = new AtomicInteger();
    this.loaders =
        Executors.newFixedThreadPool(
            props.loaderThreads(),
            r -> {
              Thread t = new Thread(r, "model-loader-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The ready model, loading it first if needed.
   *
   * @throws ApiException 503 with Retry-After while it loads longer than the load timeout, 503 with
   *     the reason when its load failed, 404 for an unknown model
   */
  LoadedModel get(UUID id) {
    CompletableFuture<LoadedModel> load = load(id);
    try {
      return load.get(props.loadTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ApiException(
              ApiException.Problem.MODEL_UNAVAILABLE,
              "model "
                  + id
                  + " is still loading (waited deeptrain.inference.load-timeout = "
                  + human(props.loadTimeout())
                  + "); try again shortly")
          .retryAfter(Duration.ofSeconds(2));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException api) {
        throw api;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(
          ApiException.Problem.MODEL_UNAVAILABLE, "interrupted while model " + id + " loaded");
    }
  }

  /** True once the model is in memory and its warm-up inference succeeded. */
  boolean isReady(UUID id) {
    synchronized (this) {
      return ready.containsKey(id);
    }
  }

  /** Starts loading the model in the background unless it is loaded or loading already. */
  void requestLoad(UUID id) {
    try {
      load(id);
    } catch (ApiException e) {
      // A recent failure: it is reported by failure(id) and by get().
    }
  }

  /**
   * The load of a model: done when it is ready or failed. A model that failed recently fails at
   * once with its reason.
   *
   * @throws ApiException 503 when it failed less than {@code load-retry-after} ago
   */
  CompletableFuture<LoadedModel> load(UUID id) {
    synchronized (this) {
      LoadedModel hit = ready.get(id);
      if (hit != null) {
        return CompletableFuture.completedFuture(hit);
      }
      CompletableFuture<LoadedModel> pending = loading.get(id);
      if (pending != null) {
        return pending;
      }
      Failure failed = failures.get(id);
      if (failed != null) {
        Duration since = Duration.between(failed.at(), clock.instant());
        Duration left = props.loadRetryAfter().minus(since);
        if (!left.isNegative() && !left.isZero()) {
          throw new ApiException(
                  failed.reason().problem(),
                  failed.reason().getMessage()
                      + " (failed "
                      + human(since)
                      + " ago; not tried again for "
                      + human(left)
                      + ")")
              .retryAfter(left);
        }
      }
      CompletableFuture<LoadedModel> future = new CompletableFuture<>();
      loading.put(id, future);
      loaders.execute(() -> loadNow(id, future));
      return future;
    }
  }

  /** Why the model's last load failed, or null when it did not fail (or may be tried again). */
  synchronized Failure failure(UUID id) {
    return failures.get(id);
  }

  /** Estimated bytes of the loaded models together. */
  synchronized long usedBytes() {
    return usedBytes;
  }

  private void loadNow(UUID id, CompletableFuture<LoadedModel> future) {
    LoadedModel model = null;
    try {
      model = loader.load(id);
      try {
        model.warmUp();
      } catch (RuntimeException e) {
        throw new ApiException(
            ApiException.Problem.MODEL_UNAVAILABLE,
            "model " + id + " failed its warm-up inference: " + e.getMessage());
      }
      // Measured after warm-up: the parameters plus the working memory of a full batch.
      if (model.estimatedBytes() > budget) {
        throw new ApiException(
            ApiException.Problem.MODEL_UNAVAILABLE,
            "model "
                + id
                + " needs about "
                + mib(model.estimatedBytes())
                + " in memory, more than the whole cache (deeptrain.inference.cache-max-bytes ="
                + " "
                + mib(budget)
                + ")");
      }
      List<LoadedModel> evicted = admit(id, model);
      log.info("Model {} is ready (~{} in memory)", id, mib(model.estimatedBytes()));
      for (LoadedModel old : evicted) {
        log.info(
            "Evicted model {} (~{}) to make room for {}", old.id(), mib(old.estimatedBytes()), id);
        old.close();
      }
      future.complete(model);
    } catch (RuntimeException | Error e) {
      if (model != null) {
        model.close();
      }
      ApiException reason =
          e instanceof ApiException api
              ? api
              : new ApiException(
                  ApiException.Problem.MODEL_UNAVAILABLE,
                  "model " + id + " could not be loaded: " + e);
      log.warn("Loading model {} failed: {}", id, reason.getMessage());
      synchronized (this) {
        loading.remove(id);
        failures.put(id, new Failure(reason, clock.instant()));
      }
      future.completeExceptionally(reason);
    }
  }

  /** Makes room by evicting the least recently used models, then adds {@code model}. */
  private synchronized List<LoadedModel> admit(UUID id, LoadedModel model) {
    List<LoadedModel> evicted = new ArrayList<>();
    long bytes = model.estimatedBytes();
    var eldest = ready.entrySet().iterator();
    while (usedBytes + bytes > budget && eldest.hasNext()) {
      var old = eldest.next();
      eldest.remove();
      usedBytes -= charged.remove(old.getKey());
      evicted.add(old.getValue());
    }
    ready.put(id, model);
    charged.put(id, bytes);
    usedBytes += bytes;
    loading.remove(id);
    failures.remove(id);
    return evicted;
  }

  @PreDestroy
  void close() {
    loaders.shutdownNow();
    List<LoadedModel> all;
    synchronized (this) {
      all = new ArrayList<>(ready.values());
      ready.clear();
      charged.clear();
      usedBytes = 0;
    }
    for (LoadedModel m : all) {
      if (m.batcher() != null) {
        m.batcher().shutdownNow();
      }
    }
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
