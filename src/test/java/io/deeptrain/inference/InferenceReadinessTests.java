package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

class InferenceReadinessTests {

  static final UUID A = new UUID(0, 1);

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-11-27T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final ModelCacheTests.FakeLoader loader = new ModelCacheTests.FakeLoader();
  final MovableClock clock = new MovableClock();
  final InferenceProperties props =
      new InferenceProperties(
          DataSize.ofMegabytes(100),
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          1,
          List.of("production"),
          Duration.ofMinutes(5),
          4096,
          DataSize.ofMegabytes(32),
          Duration.ofMinutes(1),
          new InferenceProperties.Batching(8, Duration.ofMillis(1), 8));
  final ModelCache cache = new ModelCache(loader, props, clock);
  final InferenceReadiness readiness = new InferenceReadiness(cache, null, props, clock);

  @AfterEach
  void close() {
    loader.hold.countDown();
    cache.close();
  }

  @Test
  void shouldBeReadyOnlyOnceThePreloadedModelIsWarm() {
    assertThat(readiness.isReady()).as("before the preloads started").isFalse();
    loader.hold = new CountDownLatch(1);

    readiness.preload(Map.of(A, "shirts@production"));

    assertThat(readiness.isReady()).isFalse();
    Health loading = readiness.health();
    assertThat(loading.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(loading.getDetails().get("loading").toString()).contains("shirts@production");

    loader.hold.countDown();
    cache.load(A).join();
    assertThat(readiness.isReady()).isTrue();
    assertThat(cache.isReady(A)).isTrue();
    Health ready = readiness.health();
    assertThat(ready.getStatus()).isEqualTo(Status.UP);
    assertThat(ready.getDetails().get("ready").toString()).contains("shirts@production");
  }

  @Test
  void shouldGoReadyReportingAPreloadThatFailed() {
    loader.warmUpFails = true;

    readiness.preload(Map.of(A, "shirts@production"));
    cache.load(A).exceptionally(e -> null).join();

    assertThat(readiness.isReady()).isTrue();
    Health health = readiness.health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails().get("failed").toString())
        .contains("shirts@production")
        .contains("warm-up");
    assertThat(cache.isReady(A)).isFalse();
  }

  @Test
  void shouldGoReadyWhenAPreloadOutlastsThePreloadTimeout() {
    loader.hold = new CountDownLatch(1);
    readiness.preload(Map.of(A, "shirts@production"));
    assertThat(readiness.isReady()).isFalse();

    clock.now = clock.now.plus(Duration.ofMinutes(5));

    assertThat(readiness.isReady()).isTrue();
    assertThat(readiness.health().getDetails().get("loading").toString())
        .contains("shirts@production");
  }

  @Test
  void shouldBeReadyAtOnceWithNothingToPreload() {
    readiness.preload(Map.of());

    assertThat(readiness.isReady()).isTrue();
  }
}
