package io.deeptrain.training;

import java.util.Arrays;
import java.util.Random;

/**
 * The order in which an epoch visits the training examples: a pure function of (seed, epoch), so a
 * resumed run re-derives the order of the epoch it stopped in instead of replaying a running {@link
 * Random}, and same-seed runs stay identical. Every training loop draws its orders and subsets
 * here.
 */
public final class EpochOrder {

  private EpochOrder() {}

  /** Fills {@code order} with epoch {@code epoch}'s permutation of [0, order.length). */
  public static void fill(int[] order, long seed, int epoch) {
    Arrays.setAll(order, i -> i);
    // SplitMix64's increment spreads consecutive epochs across the seed space.
    shuffle(order, new Random(seed + 0x9E3779B97F4A7C15L * epoch));
  }

  /**
   * The examples a run uses when it may use at most {@code max} of {@code n} (maxTrainExamples,
   * maxTestExamples, evaluation subsets): distinct indices of [0, n), ascending, the same for the
   * same seed; all of them when {@code max} is null or at least {@code n}.
   */
  public static int[] sample(int n, Integer max, long seed) {
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    if (max == null || n <= max) {
      return all;
    }
    shuffle(all, new Random(seed ^ 0x5DEECE66DL));
    int[] out = Arrays.copyOf(all, max);
    Arrays.sort(out);
    return out;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
