package io.deeptrain.security;

import io.deeptrain.system.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One token bucket per key on inference POSTs; an empty bucket answers 429 with Retry-After. The
 * buckets live in this replica's memory, so N replicas allow up to N times the rate; there is one
 * bucket per valid key, so their number is bounded by the keys that exist.
 */
final class InferenceRateLimit extends OncePerRequestFilter {

  private final SecurityProperties.RateLimit limit;
  private final LongSupplier nanoTime;
  private final Map<UUID, TokenBucket> buckets = new ConcurrentHashMap<>();

  InferenceRateLimit(SecurityProperties.RateLimit limit, LongSupplier nanoTime) {
    this.limit = limit;
    this.nanoTime = nanoTime;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !limit.on()
        || !AccessRules.inference(request.getMethod(), SecurityResponses.path(request));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (!(auth instanceof ApiKeyAuthentication key)) {
      chain.doFilter(request, response);
      return;
    }
    long wait =
        buckets
            .computeIfAbsent(
                key.key().id(),
                id -> new TokenBucket(limit.burst(), limit.requestsPerSecond(), nanoTime))
            .tryTake();
    if (wait == 0) {
      chain.doFilter(request, response);
      return;
    }
    long seconds = TokenBucket.retryAfterSeconds(wait);
    response.setHeader("Retry-After", Long.toString(seconds));
    SecurityResponses.write(
        request,
        response,
        ApiException.Problem.RATE_LIMITED,
        String.format(
            java.util.Locale.ROOT,
            "key '%s' may run %s inference requests per second (bursts of %d);"
                + " retry after %d s (deeptrain.security.inference-rate)",
            key.key().name(),
            limit.requestsPerSecond(),
            limit.burst(),
            seconds),
        Map.of("retryAfterSeconds", seconds));
  }
}
