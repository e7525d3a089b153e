package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Concurrent classify requests are merged into batches by the model's batcher; each client must
 * still get exactly the answer it gets alone.
 */
@IntegrationTest
class BatchedClassifyIntegrationTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A small CNN: enough to exercise the image path and batching in a few seconds. */
  static final String SMALL_CNN =
      """
      {"type":"CNN","layers":[
        {"type":"CONV2D","filters":8,"kernelSize":3},{"type":"MAX_POOL","size":2},
        {"type":"FLATTEN"},{"type":"DENSE","units":16}]}""";

  @LocalServerPort int port;
  @Autowired DatasetCatalog datasets;
  @Autowired ModelCache cache;

  @Test
  void shouldCountTheModelPreloadsInReadiness() {
    Api.Response r = new Api(port).get("/actuator/health/readiness");

    JsonNode preload = r.body().path("components").path("modelPreload");
    assertThat(preload.path("status").asText()).as(r.raw()).isIn("UP", "OUT_OF_SERVICE");
    assertThat(preload.path("details").has("ready")).isTrue();
    assertThat(preload.path("details").has("failed")).isTrue();
    assertThat(r.status()).isEqualTo(preload.path("status").asText().equals("UP") ? 200 : 503);
  }

  @Test
  void shouldGiveEachOf32ConcurrentClientsTheAnswerItGetsAlone() throws Exception {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
    Api api = new Api(port);
    Api.Response submitted =
        api.post(
            "/api/v1/jobs",
            """
            {"name":"batched-cnn","dataset":"fashion-mnist","spec":%s,
             "training":{"epochs":1,"batchSize":64,"optimizer":"ADAM","learningRate":0.002,"seed":3,
                         "maxTrainExamples":2000,"maxTestExamples":200}}"""
                .formatted(SMALL_CNN));
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    JsonNode done =
        api.awaitJob(
            UUID.fromString(submitted.body().path("id").asText()),
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(10));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    String model = done.path("modelId").asText();
    String path = "/api/v1/models/" + model + "/classify";

    List<String> bodies = new ArrayList<>();
    DatasetSplit split = datasets.open("fashion-mnist", 0.2, 1);
    try (INDArray x = split.test().features(IntStream.range(0, 32).toArray())) {
      float[] all = x.dup('c').data().asFloat();
      for (int r = 0; r < 32; r++) {
        List<Double> row = new ArrayList<>(784);
        for (int k = 0; k < 784; k++) {
          row.add((double) all[r * 784 + k]);
        }
        bodies.add("{\"instances\":[" + JSON.writeValueAsString(row) + "]}");
      }
    }

    List<JsonNode> alone = new ArrayList<>();
    for (String body : bodies) {
      Api.Response r = api.post(path, body);
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      alone.add(r.body().path("predictions").get(0));
    }
    assertThat(cache.isReady(UUID.fromString(model))).isTrue();

    ExecutorService clients = Executors.newFixedThreadPool(32);
    CyclicBarrier start = new CyclicBarrier(32);
    try {
      List<Future<Api.Response>> together = new ArrayList<>();
      for (String body : bodies) {
        together.add(
            clients.submit(
                () -> {
                  start.await();
                  return api.post(path, body);
                }));
      }
      for (int i = 0; i < 32; i++) {
        Api.Response r = together.get(i).get();
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode mine = r.body().path("predictions").get(0);
        JsonNode expected = alone.get(i);
        assertThat(mine.path("label").asText())
            .as("image %d", i)
            .isEqualTo(expected.path("label").asText());
        for (var p : expected.path("probabilities").properties()) {
          assertThat(mine.path("probabilities").path(p.getKey()).asDouble())
              .as("image %d, class %s", i, p.getKey())
              .isCloseTo(p.getValue().asDouble(), within(1e-5));
        }
      }
    } finally {
      clients.shutdownNow();
    }
  }
}
