package io.deeptrain.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Shrinks a series to at most {@code maxPoints} while keeping its shape: per bucket of consecutive
 * points, the first, last, minimum and maximum survive, so spikes and plateaus stay visible.
 */
final class Downsampler {

  private Downsampler() {}

  static List<MetricSeries.Point> downsample(List<MetricSeries.Point> points, int maxPoints) {
    if (points.size() <= maxPoints) {
      return points;
    }
    int buckets = Math.max(1, maxPoints / 4);
    double width = points.size() / (double) buckets;
    List<MetricSeries.Point> out = new ArrayList<>(maxPoints);
    for (int b = 0; b < buckets; b++) {
      int from = (int) Math.floor(b * width);
      int to = (int) Math.min(points.size(), Math.floor((b + 1) * width));
      if (from >= to) {
        continue;
      }
      int min = from;
      int max = from;
      for (int i = from; i < to; i++) {
        if (points.get(i).value() < points.get(min).value()) {
          min = i;
        }
        if (points.get(i).value() > points.get(max).value()) {
          max = i;
        }
      }
      TreeMap<Integer, MetricSeries.Point> keep = new TreeMap<>();
      for (int i : new int[] {from, min, max, to - 1}) {
        keep.put(i, points.get(i));
      }
      out.addAll(keep.values());
    }
    return out;
  }
}
