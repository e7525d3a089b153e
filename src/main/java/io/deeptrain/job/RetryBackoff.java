package io.deeptrain.job;

import java.time.Duration;

/**
 * Exponential backoff between attempts: {@code base} after the first, doubling after each further
 * one, never more than {@code cap}. The reaper computes the same in SQL ({@link #SQL}).
 */
final class RetryBackoff {

  /** The same delay in seconds for a row's {@code attempt}, with {@code :base} and {@code :cap}. */
  static final String SQL =
      "least(:capSeconds, :baseSeconds * power(2, least(greatest(attempt - 1, 0), 30)))";

  private RetryBackoff() {}

  static Duration delay(Duration base, Duration cap, int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    double millis = base.toMillis() * Math.pow(2, doublings);
    return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
  }
}
