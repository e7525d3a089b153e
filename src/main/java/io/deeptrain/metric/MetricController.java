package io.deeptrain.metric;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class MetricController {

  private final MetricQuery query;

  MetricController(MetricQuery query) {
    this.query = query;
  }

  @GetMapping("/api/v1/jobs/{id}/metrics")
  @Operation(
      summary = "A job's metric series",
      description =
          "Per epoch: train_loss, train_accuracy, test_loss, test_accuracy, learning_rate,"
              + " samples_per_second, epoch_seconds (step = epoch). Every N iterations: loss"
              + " (step = iteration). Poll with sinceStep to get only new points.")
  MetricsResponse metrics(
      @PathVariable UUID id,
      @Parameter(description = "Only this series") @RequestParam(required = false) String name,
      @Parameter(description = "Only points with step greater than this")
          @RequestParam(required = false)
          Long sinceStep,
      @Parameter(description = "At most this many points per series (4 to 100000)")
          @RequestParam(defaultValue = "1000")
          int maxPoints) {
    return query.series(id, name, sinceStep, maxPoints);
  }
}
