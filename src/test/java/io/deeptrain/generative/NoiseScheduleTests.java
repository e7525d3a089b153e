package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deeptrain.spec.DiffusionSpec.BetaSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseScheduleTests {

  @ParameterizedTest
  @CsvSource({"LINEAR,1000", "LINEAR,100", "LINEAR,10", "COSINE,1000", "COSINE,100", "COSINE,2"})
  void shouldKeepBetaInsideTheUnitIntervalAndAlphaBarFalling(BetaSchedule kind, int t) {
    NoiseSchedule s = NoiseSchedule.of(kind, t);

    assertThat(s.timesteps()).isEqualTo(t);
    for (int i = 0; i < t; i++) {
      assertThat(s.beta(i)).as("β_%d", i).isGreaterThan(0).isLessThan(1);
      assertThat(s.alphaBar(i))
          .isEqualTo(i == 0 ? 1 - s.beta(0) : s.alphaBar(i - 1) * (1 - s.beta(i)), within(1e-12));
      if (i > 0) {
        assertThat(s.alphaBar(i)).as("ᾱ_%d", i).isLessThan(s.alphaBar(i - 1));
      }
    }
    // Nearly all signal left after the first step, nearly none after the last.
    assertThat(s.alphaBar(t - 1)).isLessThan(t >= 100 ? 1e-3 : 0.05);
  }

  @Test
  void shouldFollowTheCosineCurveBetweenItsEndpoints() {
    NoiseSchedule s = NoiseSchedule.of(BetaSchedule.COSINE, 1000);
    double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);

    assertThat(s.alphaBar(0)).isGreaterThan(0.9999);
    assertThat(s.alphaBar(499))
        .isCloseTo(Math.pow(Math.cos((0.5 + 0.008) / 1.008 * Math.PI / 2), 2) / f0, within(1e-9));
    assertThat(s.beta(999)).isEqualTo(NoiseSchedule.MAX_BETA);
    assertThat(s.alphaBar(999)).isLessThan(1e-6);
  }

  @Test
  void shouldScaleTheLinearScheduleToT() {
    NoiseSchedule ho = NoiseSchedule.of(BetaSchedule.LINEAR, 1000);
    NoiseSchedule short100 = NoiseSchedule.of(BetaSchedule.LINEAR, 100);

    assertThat(ho.beta(0)).isCloseTo(1e-4, within(1e-12));
    assertThat(ho.beta(999)).isCloseTo(0.02, within(1e-12));
    assertThat(short100.beta(0)).isCloseTo(1e-3, within(1e-12));
    assertThat(short100.beta(99)).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void shouldSpaceSamplingStepsEvenlyEndingAtTheLastStep() {
    NoiseSchedule s = NoiseSchedule.of(BetaSchedule.COSINE, 1000);

    assertThat(s.spaced(5)).containsExactly(0, 250, 500, 749, 999);
    assertThat(s.spaced(1)).containsExactly(999);
    assertThat(s.spaced(1000)).hasSize(1000).startsWith(0, 1, 2).endsWith(998, 999);
  }
}
