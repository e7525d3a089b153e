package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTests {

  static final Duration BASE = Duration.ofSeconds(10);
  static final Duration CAP = Duration.ofMinutes(10);

  @Test
  void shouldWaitTheBaseAfterTheFirstAttemptAndDoubleAfterEachFurtherOne() {
    assertThat(RetryBackoff.delay(BASE, CAP, 1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(RetryBackoff.delay(BASE, CAP, 2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(RetryBackoff.delay(BASE, CAP, 3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(RetryBackoff.delay(BASE, CAP, 6)).isEqualTo(Duration.ofSeconds(320));
  }

  @Test
  void shouldNeverWaitLongerThanTheCapEvenAfterVeryManyAttempts() {
    assertThat(RetryBackoff.delay(BASE, CAP, 7)).isEqualTo(CAP); // 640 s > 600 s
    assertThat(RetryBackoff.delay(BASE, CAP, 100)).isEqualTo(CAP);
    assertThat(RetryBackoff.delay(BASE, CAP, Integer.MAX_VALUE)).isEqualTo(CAP);
  }

  @Test
  void shouldTreatAJobNotYetAttemptedLikeOneAttempt() {
    assertThat(RetryBackoff.delay(BASE, CAP, 0)).isEqualTo(BASE);
  }
}
