package io.deeptrain.metric;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One named series of a job. */
public record MetricSeries(
    String name,
    @Schema(description = "Points stored for this series after sinceStep.") int total,
    @Schema(
            description =
                "True when points were dropped to fit maxPoints (first, last, min and max of each bucket are kept).")
        boolean downsampled,
    List<Point> points) {

  /** One point; {@code step} is the epoch for per-epoch series, the iteration for {@code loss}. */
  public record Point(long step, int epoch, double value) {}
}
