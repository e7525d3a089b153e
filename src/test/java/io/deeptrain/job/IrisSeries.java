package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import tools.jackson.databind.JsonNode;

/** The metric series of an iris job (Jobs.irisMlp) as the API returns them, with their checks. */
final class IrisSeries {

  /** iris: 120 training rows in batches of 16. */
  static final int ITERATIONS_PER_EPOCH = 8;

  /** The loss is recorded every this many iterations (deeptrain.metrics.iteration-every). */
  static final int LOSS_EVERY = 10;

  private final Map<String, List<JsonNode>> byName;

  private IrisSeries(Map<String, List<JsonNode>> byName) {
    this.byName = byName;
  }

  static IrisSeries of(Api api, UUID job) {
    JsonNode metrics = api.get("/api/v1/jobs/" + job + "/metrics").body();
    Map<String, List<JsonNode>> out = new HashMap<>();
    metrics
        .path("series")
        .forEach(
            s -> {
              List<JsonNode> points = new ArrayList<>();
              s.path("points").forEach(points::add);
              out.put(s.path("name").asText(), points);
            });
    return new IrisSeries(out);
  }

  /** Every series by name, its points in step order as the API gives them. */
  Map<String, List<JsonNode>> byName() {
    return byName;
  }

  List<Long> steps(String name) {
    List<JsonNode> points = byName.get(name);
    assertThat(points).as("series %s in %s", name, byName.keySet()).isNotNull();
    return points.stream().map(p -> p.path("step").asLong()).toList();
  }

  /**
   * Every epoch series holds epochs 1..{@code epochs} once, and the loss every 10th iteration of
   * them once: no point lost, none written twice.
   */
  void assertComplete(int epochs) {
    for (String name : JobLifecycleIntegrationTests.EPOCH_METRICS) {
      assertThat(steps(name))
          .as(name)
          .isEqualTo(LongStream.rangeClosed(1, epochs).boxed().toList());
    }
    long iterations = (long) epochs * ITERATIONS_PER_EPOCH;
    assertThat(steps("loss"))
        .as("loss")
        .isEqualTo(
            LongStream.rangeClosed(1, iterations / LOSS_EVERY)
                .map(i -> i * LOSS_EVERY)
                .boxed()
                .toList());
  }

  /** Number of points over every series. */
  int size() {
    return byName.values().stream().mapToInt(List::size).sum();
  }
}
