package io.deeptrain.security;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code perSecond}; each request
 * takes one. Thread-safe.
 */
final class TokenBucket {

  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  TokenBucket(int capacity, double perSecond, LongSupplier nanoTime) {
    if (capacity < 1 || !(perSecond > 0)) {
      throw new IllegalArgumentException("capacity >= 1 and a positive rate are required");
    }
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.last = nanoTime.getAsLong();
  }

  /** Takes a token: 0 when one was there, else the nanoseconds until one will be. */
  synchronized long tryTake() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }

  /** Whole seconds to wait before retrying, as Retry-After says it (at least 1). */
  static long retryAfterSeconds(long waitNanos) {
    return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
  }
}
