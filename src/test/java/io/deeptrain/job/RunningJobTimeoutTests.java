package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.ResumePoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A run past its timeout stops at its next iteration, saying where and what to change. */
class RunningJobTimeoutTests {

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void shouldRequestAStopOnceTheAttemptHasRunForItsTimeout() {
    RunningJob run = run(Duration.ofMinutes(30));
    clock.advance(Duration.ofMinutes(29));
    assertThat(run.stopRequested()).isFalse();
    assertThat(run.stopReason()).isNull();

    clock.advance(Duration.ofMinutes(1));
    assertThat(run.stopRequested()).isTrue();
    assertThat(run.stopReason()).isEqualTo(RunningJob.StopReason.TIMEOUT);
  }

  @Test
  void shouldSayWhichEpochItStoppedAtAndWhatToChange() {
    RunningJob run = run(Duration.ofMinutes(30));
    run.starting(ResumePoint.start());
    for (int epoch = 1; epoch <= 7; epoch++) {
      run.epochCompleted(epoch, 20);
    }
    clock.advance(Duration.ofMinutes(31));
    assertThat(run.stopRequested()).isTrue();
    assertThat(run.timeoutReason())
        .startsWith("stopped after the 30-minute timeout at epoch 8 of 20 (7 completed;")
        .contains("checkpoint is kept")
        .endsWith("raise `timeout` or lower `training.epochs`");
  }

  @Test
  void shouldKeepTheFirstReasonWhenCancelledBeforeTheTimeout() {
    RunningJob run = run(Duration.ofSeconds(5));
    run.requestStop(RunningJob.StopReason.CANCELLED);
    clock.advance(Duration.ofSeconds(10));
    assertThat(run.stopRequested()).isTrue();
    assertThat(run.stopReason()).isEqualTo(RunningJob.StopReason.CANCELLED);
  }

  @Test
  void shouldNameDurationsTheWayPeopleSayThem() {
    assertThat(RunningJob.describe(Duration.ofHours(2))).isEqualTo("2-hour");
    assertThat(RunningJob.describe(Duration.ofMinutes(30))).isEqualTo("30-minute");
    assertThat(RunningJob.describe(Duration.ofSeconds(90))).isEqualTo("90-second");
  }

  private RunningJob run(Duration timeout) {
    Job job =
        new Job(
            UUID.randomUUID(),
            "t",
            JobStatus.RUNNING,
            0,
            "iris",
            new MlpSpec(List.of(new DenseLayerSpec(4, null)), null),
            TrainingSpec.defaults(),
            1,
            3,
            "me",
            null,
            false,
            clock.instant(),
            clock.instant(),
            null,
            null,
            0,
            20,
            null,
            null,
            null,
            null,
            List.of(),
            (int) timeout.toSeconds(),
            null,
            null);
    return new RunningJob(job, done -> {}, from -> {}, warning -> {}, clock, timeout);
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
