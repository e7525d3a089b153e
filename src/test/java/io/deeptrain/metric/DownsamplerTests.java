package io.deeptrain.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownsamplerTests {

  @Test
  void shouldKeepShortSeriesAsTheyAre() {
    List<MetricSeries.Point> points = series(10);
    assertThat(Downsampler.downsample(points, 10)).isSameAs(points);
  }

  @Test
  void shouldKeepFirstLastMinAndMaxWithinTheBudget() {
    List<MetricSeries.Point> points = series(1000);
    points.set(500, new MetricSeries.Point(501, 1, 99.0)); // a spike
    points.set(700, new MetricSeries.Point(701, 1, -99.0)); // a dip

    List<MetricSeries.Point> kept = Downsampler.downsample(points, 40);

    assertThat(kept.size()).isLessThanOrEqualTo(40);
    assertThat(kept.get(0)).isEqualTo(points.get(0));
    assertThat(kept.get(kept.size() - 1)).isEqualTo(points.get(999));
    assertThat(kept).contains(points.get(500), points.get(700));
    assertThat(kept).isSortedAccordingTo((a, b) -> Long.compare(a.step(), b.step()));
    assertThat(kept).doesNotHaveDuplicates();
  }

  private static List<MetricSeries.Point> series(int n) {
    List<MetricSeries.Point> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      points.add(new MetricSeries.Point(i + 1, 1, Math.sin(i / 10.0)));
    }
    return points;
  }
}
