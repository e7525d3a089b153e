package io.deeptrain.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

class RetryAfterTests {

  final ProblemDetailsAdvice advice = new ProblemDetailsAdvice();

  @Test
  void shouldTellWhenToRetryInWholeSecondsRoundedUp() {
    ResponseEntity<ProblemDetail> r =
        advice.handleApi(
            new ApiException(ApiException.Problem.MODEL_UNAVAILABLE, "model m is still loading")
                .retryAfter(Duration.ofMillis(1500)));

    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(r.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
    assertThat(r.getBody().getDetail()).isEqualTo("model m is still loading");
  }

  @Test
  void shouldSendNoRetryAfterWhenRetryingCannotHelp() {
    ResponseEntity<ProblemDetail> r =
        advice.handleApi(
            new ApiException(ApiException.Problem.MODEL_UNAVAILABLE, "model m is too large"));

    assertThat(r.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
  }
}
