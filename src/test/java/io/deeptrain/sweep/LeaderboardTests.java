package io.deeptrain.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderboardTests {

  @Test
  void shouldRankFinishedTrialsBestFirstThenThoseWithoutValueThenUnfinished() {
    List<TrialView> trials =
        List.of(
            trial(1, TrialStatus.SUCCEEDED, 0.90),
            trial(2, TrialStatus.RUNNING, 0.99),
            trial(3, TrialStatus.FAILED, null),
            trial(4, TrialStatus.CANCELLED, 0.95),
            trial(5, TrialStatus.PENDING, null),
            trial(6, TrialStatus.SUCCEEDED, 0.90),
            trial(7, TrialStatus.SUCCEEDED, 0.97));

    assertThat(numbers(Leaderboard.rank(trials, Objective.Mode.MAX)))
        .containsExactly(7, 4, 1, 6, 3, 2, 5);
    assertThat(numbers(Leaderboard.rank(trials, Objective.Mode.MIN)))
        .containsExactly(1, 6, 4, 7, 3, 2, 5);
    assertThat(Leaderboard.best(Leaderboard.rank(trials, Objective.Mode.MAX)).trial()).isEqualTo(7);
  }

  @Test
  void shouldHaveNoBestWhileNoFinishedTrialHasAValue() {
    List<TrialView> ranked =
        Leaderboard.rank(
            List.of(trial(1, TrialStatus.RUNNING, 0.5), trial(2, TrialStatus.FAILED, null)),
            Objective.Mode.MAX);
    assertThat(numbers(ranked)).containsExactly(2, 1);
    assertThat(Leaderboard.best(ranked)).isNull();
  }

  static TrialView trial(int n, TrialStatus status, Double objective) {
    return new TrialView(n, status, Map.of(), null, objective, null, 0, 0, null);
  }

  static List<Integer> numbers(List<TrialView> trials) {
    return trials.stream().map(TrialView::trial).toList();
  }
}
