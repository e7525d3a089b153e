package io.deeptrain.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Row indices of a train/test split that keeps each class's share in both parts, so a small dataset
 * such as iris never ends up with a class missing from the test set.
 */
record StratifiedSplit(int[] train, int[] test) {

  static StratifiedSplit of(int[] labels, int classes, double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
    }
    Random random = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          rows.add(i);
        }
      }
      Collections.shuffle(rows, random);
      int n = testCount(rows.size(), testFraction);
      test.addAll(rows.subList(0, n));
      train.addAll(rows.subList(n, rows.size()));
    }
    return new StratifiedSplit(
        train.stream().mapToInt(Integer::intValue).toArray(),
        test.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Test rows taken from a class of {@code size} rows: at least one, and never all of them. */
  static int testCount(int size, double testFraction) {
    if (size < 2) {
      return 0;
    }
    return (int) Math.min(size - 1, Math.max(1, Math.round(size * testFraction)));
  }
}
