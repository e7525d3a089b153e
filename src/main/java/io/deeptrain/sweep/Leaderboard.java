package io.deeptrain.sweep;

import java.util.Comparator;
import java.util.List;

/**
 * Ranks trials: finished trials with an objective value, best first (ties by trial number); then
 * finished trials without one; then unfinished trials, in trial order.
 */
final class Leaderboard {

  private Leaderboard() {}

  static List<TrialView> rank(List<TrialView> trials, Objective.Mode mode) {
    Comparator<TrialView> byValue = Comparator.comparing(TrialView::objective);
    Comparator<TrialView> better = mode == Objective.Mode.MAX ? byValue.reversed() : byValue;
    return trials.stream()
        .sorted(
            Comparator.comparingInt(Leaderboard::group)
                .thenComparing((a, b) -> group(a) == 0 ? better.compare(a, b) : 0)
                .thenComparingInt(TrialView::trial))
        .toList();
  }

  /** The best finished trial, or null while none has a value. */
  static TrialView best(List<TrialView> ranked) {
    return ranked.isEmpty() || group(ranked.get(0)) != 0 ? null : ranked.get(0);
  }

  private static int group(TrialView t) {
    if (!t.status().isFinished()) {
      return 2;
    }
    return t.objective() == null ? 1 : 0;
  }
}
