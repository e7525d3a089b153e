package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.system.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ModelCacheTests {

  static final UUID A = new UUID(0, 1);
  static final UUID B = new UUID(0, 2);
  static final UUID C = new UUID(0, 3);

  /** Loads fake models of given sizes, counting loads; a load can be held until released. */
  static final class FakeLoader implements ModelLoader {
    final Map<UUID, Long> sizes = new ConcurrentHashMap<>();
    final Map<UUID, AtomicInteger> loads = new ConcurrentHashMap<>();
    final List<LoadedModel> made = new ArrayList<>();
    volatile CountDownLatch hold = new CountDownLatch(0);
    volatile boolean warmUpFails;
    volatile RuntimeException loadFailure;

    @Override
    public LoadedModel load(UUID id) {
      loads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      try {
        hold.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (loadFailure != null) {
        throw loadFailure;
      }
      boolean fails = warmUpFails;
      MicroBatcher batcher =
          new MicroBatcher(
              id.toString(),
              input -> {
                if (fails) {
                  throw new IllegalStateException("shape mismatch in layer 0");
                }
                return new MicroBatcher.Tensor(
                    new float[input.rows()], new long[] {input.rows(), 1});
              },
              new InferenceProperties.Batching(8, Duration.ofMillis(1), 8),
              Duration.ofMinutes(1),
              Thread::new,
              System::nanoTime,
              rows -> {},
              () -> {});
      LoadedModel model =
          LoadedModel.ofBatcher(null, batcher, sizes.getOrDefault(id, 10L), new long[] {1, 4});
      synchronized (made) {
        made.add(model);
      }
      return model;
    }

    int loads(UUID id) {
      AtomicInteger n = loads.get(id);
      return n == null ? 0 : n.get();
    }
  }

  final FakeLoader loader = new FakeLoader();
  ModelCache cache;

  ModelCache cache(long budgetBytes, Duration loadTimeout) {
    cache =
        new ModelCache(
            loader,
            new InferenceProperties(
                DataSize.ofBytes(budgetBytes),
                loadTimeout,
                Duration.ofMinutes(5),
                2,
                List.of("production"),
                Duration.ofMinutes(5),
                4096,
                DataSize.ofMegabytes(32),
                Duration.ofMinutes(1),
                new InferenceProperties.Batching(8, Duration.ofMillis(1), 8)),
            Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC));
    return cache;
  }

  @AfterEach
  void close() {
    loader.hold.countDown();
    if (cache != null) {
      cache.close();
    }
  }

  @Test
  void shouldEvictTheLeastRecentlyUsedModelsUntilTheNewcomerFits() {
    cache(100, Duration.ofMinutes(1));
    loader.sizes.putAll(Map.of(A, 40L, B, 40L, C, 40L));
    LoadedModel a = cache.get(A);
    LoadedModel b = cache.get(B);
    cache.get(A); // A is now more recent than B

    cache.get(C);

    assertThat(cache.isReady(A)).isTrue();
    assertThat(cache.isReady(B)).isFalse();
    assertThat(cache.isReady(C)).isTrue();
    assertThat(b.closed()).as("the evicted model released its batcher").isTrue();
    assertThat(a.closed()).isFalse();
    assertThat(cache.usedBytes()).isEqualTo(80);
  }

  @Test
  void shouldEvictSeveralModelsForALargeNewcomer() {
    cache(100, Duration.ofMinutes(1));
    loader.sizes.putAll(Map.of(A, 30L, B, 30L, C, 90L));
    cache.get(A);
    cache.get(B);

    cache.get(C);

    assertThat(cache.isReady(A)).isFalse();
    assertThat(cache.isReady(B)).isFalse();
    assertThat(cache.usedBytes()).isEqualTo(90);
  }

  @Test
  void shouldRefuseAModelLargerThanTheWholeBudgetNamingTheLimit() {
    cache(100, Duration.ofMinutes(1));
    loader.sizes.put(A, 150L);

    assertThatThrownBy(() -> cache.get(A))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("deeptrain.inference.cache-max-bytes");
    assertThat(cache.isReady(A)).isFalse();
  }

  @Test
  void shouldNotBeReadyWhenTheWarmUpInferenceFails() {
    cache(100, Duration.ofMinutes(1));
    loader.warmUpFails = true;

    assertThatThrownBy(() -> cache.get(A))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("warm-up")
        .hasMessageContaining("shape mismatch in layer 0");
    assertThat(cache.isReady(A)).isFalse();
    assertThat(cache.failure(A)).isNotNull();
    assertThat(loader.made.get(0).closed()).isTrue();
  }

  @Test
  void shouldReportAFailedLoadWithItsReasonAndNotRetryItAtOnce() {
    cache(100, Duration.ofMinutes(1));
    loader.loadFailure =
        new ApiException(ApiException.Problem.MODEL_UNAVAILABLE, "artifact is truncated");
    assertThatThrownBy(() -> cache.get(A)).hasMessageContaining("artifact is truncated");

    loader.loadFailure = null;
    cache.requestLoad(A);
    assertThatThrownBy(() -> cache.get(A))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("artifact is truncated")
        .hasMessageContaining("not tried again")
        .satisfies(e -> assertThat(((ApiException) e).retryAfter()).isPositive());
    assertThat(loader.loads(A)).isEqualTo(1);
  }

  @Test
  void shouldLoadOnceForConcurrentFirstRequests() throws Exception {
    cache(100, Duration.ofMinutes(1));
    loader.hold = new CountDownLatch(1);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<LoadedModel>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(clients.submit(() -> cache.get(A)));
      }
      cache.requestLoad(A);
      loader.hold.countDown();
      LoadedModel first = results.get(0).get();
      for (Future<LoadedModel> r : results) {
        assertThat(r.get()).isSameAs(first);
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(loader.loads(A)).isEqualTo(1);
  }

  @Test
  void shouldAnswer503WithRetryAfterWhenTheLoadOutlastsTheLoadTimeout() {
    cache(100, Duration.ofMillis(1));
    loader.hold = new CountDownLatch(1);

    assertThatThrownBy(() -> cache.get(A))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("still loading")
        .hasMessageContaining("deeptrain.inference.load-timeout")
        .satisfies(
            e -> {
              assertThat(((ApiException) e).problem())
                  .isEqualTo(ApiException.Problem.MODEL_UNAVAILABLE);
              assertThat(((ApiException) e).retryAfter()).isNotNull();
            });
    assertThat(cache.isReady(A)).isFalse();

    // The load went on in the background and the model becomes ready.
    loader.hold.countDown();
    assertThat(cache.load(A).join()).isNotNull();
    assertThat(cache.isReady(A)).isTrue();
    assertThat(loader.loads(A)).isEqualTo(1);
  }
}
