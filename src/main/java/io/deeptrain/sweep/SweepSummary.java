package io.deeptrain.sweep;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A sweep in a list: its state and best trial, without the whole leaderboard. */
public record SweepSummary(
    UUID id,
    String name,
    SweepStatus status,
    SweepRequest.Search search,
    Objective objective,
    int maxParallel,
    SweepView.TrialCounts progress,
    TrialView best,
    Instant createdAt,
    Instant finishedAt) {

  static SweepSummary from(SweepView v) {
    return new SweepSummary(
        v.id(),
        v.name(),
        v.status(),
        v.search(),
        v.objective(),
        v.maxParallel(),
        v.progress(),
        v.best(),
        v.createdAt(),
        v.finishedAt());
  }

  /** One page of sweeps, newest first. */
  public record Page(List<SweepSummary> items, int page, int size, long total) {}
}
