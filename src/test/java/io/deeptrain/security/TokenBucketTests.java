package io.deeptrain.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTests {

  static final long SECOND = 1_000_000_000L;

  final AtomicLong now = new AtomicLong(1_000 * SECOND);

  @Test
  void shouldAllowABurstThenRefuseSayingHowLongToWait() {
    TokenBucket bucket = new TokenBucket(3, 2.0, now::get);

    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    long wait = bucket.tryTake();

    // 2 tokens per second: the next one is half a second away.
    assertThat(wait).isEqualTo(SECOND / 2);
  }

  @Test
  void shouldRefillAtTheRateButNeverAboveTheBurst() {
    TokenBucket bucket = new TokenBucket(2, 1.0, now::get);
    bucket.tryTake();
    bucket.tryTake();
    assertThat(bucket.tryTake()).isPositive();

    now.addAndGet(SECOND);
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isPositive();

    now.addAndGet(3600 * SECOND);
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isPositive();
  }

  @Test
  void shouldNotCountRefusedRequestsAgainstTheWait() {
    TokenBucket bucket = new TokenBucket(1, 1.0, now::get);
    bucket.tryTake();
    for (int i = 0; i < 10; i++) {
      bucket.tryTake();
    }

    now.addAndGet(SECOND);

    assertThat(bucket.tryTake()).isZero();
  }

  @Test
  void shouldRoundRetryAfterUpToWholeSecondsAndAtLeastOne() {
    assertThat(TokenBucket.retryAfterSeconds(1)).isEqualTo(1);
    assertThat(TokenBucket.retryAfterSeconds(SECOND)).isEqualTo(1);
    assertThat(TokenBucket.retryAfterSeconds(SECOND + 1)).isEqualTo(2);
    assertThat(TokenBucket.retryAfterSeconds(1000 * SECOND)).isEqualTo(1000);
  }

  @Test
  void shouldRefuseAnEmptyOrFrozenBucket() {
    assertThatThrownBy(() -> new TokenBucket(0, 1.0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0.0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
