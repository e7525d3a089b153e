package io.deeptrain.training;

import java.util.Arrays;
import java.util.Random;

/**
 * The order in which an epoch visits the training examples: a pure function of (seed, epoch), so a
 * resumed run re-derives the order of the epoch it stopped in instead of replaying a running {@link
 * Random}, and same-seed runs stay identical.
 */
final class EpochOrder {

  private EpochOrder() {}

  /** Fills {@code order} with epoch {@code epoch}'s permutation of [0, order.length). */
  static void fill(int[] order, long seed, int epoch) {
    Arrays.setAll(order, i -> i);
    // SplitMix64's increment spreads consecutive epochs across the seed space.
    Random random = new Random(seed + 0x9E3779B97F4A7C15L * epoch);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
