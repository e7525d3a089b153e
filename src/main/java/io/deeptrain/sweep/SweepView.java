package io.deeptrain.sweep;

import io.deeptrain.job.SubmitJobRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A sweep with its leaderboard. */
public record SweepView(
    UUID id,
    String name,
    SweepStatus status,
    SweepRequest.Search search,
    Objective objective,
    int maxParallel,
    @Schema(description = "The seed of the random search; post it again to replay the trials.")
        long seed,
    TrialCounts progress,
    @Schema(description = "The best finished trial so far; null while none has a value.")
        TrialView best,
    Instant createdAt,
    Instant finishedAt,
    SubmitJobRequest base,
    Map<String, SweepParameter> parameters,
    @Schema(
            description =
                "Every trial, best first by the objective; finished trials without a value next;"
                    + " unfinished trials last.")
        List<TrialView> leaderboard) {

  /** How many trials wait, run (queued or running) or have finished. */
  public record TrialCounts(int total, int pending, int active, int finished) {

    static TrialCounts of(List<TrialView> trials) {
      int pending = 0;
      int active = 0;
      int finished = 0;
      for (TrialView t : trials) {
        if (t.status() == TrialStatus.PENDING) {
          pending++;
        } else if (t.status().isActive()) {
          active++;
        } else {
          finished++;
        }
      }
      return new TrialCounts(trials.size(), pending, active, finished);
    }
  }

  /** The stored definition of a sweep: what it varies. */
  record Definition(SubmitJobRequest base, Map<String, SweepParameter> parameters) {}

  static SweepView from(
      SweepRepository.SweepRow sweep, Definition definition, List<TrialView> trials) {
    List<TrialView> ranked = Leaderboard.rank(trials, sweep.objective().mode());
    return new SweepView(
        sweep.id(),
        sweep.name(),
        sweep.status(),
        sweep.search(),
        sweep.objective(),
        sweep.maxParallel(),
        sweep.seed(),
        TrialCounts.of(trials),
        Leaderboard.best(ranked),
        sweep.createdAt(),
        sweep.finishedAt(),
        definition.base(),
        definition.parameters(),
        ranked);
  }
}
