package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rows-as-sequence LSTM trained as a job on a Fashion-MNIST subset, then classified with the same
 * images sent as sequences of rows and as flat pixel arrays.
 */
@IntegrationTest
@Tag("slow")
class FashionMnistLstmIntegrationTests {

  static final String LSTM =
      """
      {"type":"LSTM","layers":[{"units":32}],"head":"CLASSIFICATION","view":"ROWS_AS_SEQUENCE"}""";

  @LocalServerPort int port;
  @Autowired DatasetCatalog datasets;
  final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void requireFashionMnist() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
  }

  @Test
  void shouldTrainAnLstmJobAndClassifyImagesSentAsSequencesOfRows() {
    Api api = new Api(port);
    Api.Response misfit = api.post("/api/v1/jobs", "{\"dataset\":\"iris\",\"spec\":" + LSTM + "}");
    assertThat(misfit.status()).as(misfit.raw()).isEqualTo(422);
    assertThat(misfit.body().path("errors").get(0).path("field").asText()).isEqualTo("spec.view");

    String job =
        """
        {"name":"fashion-lstm","dataset":"fashion-mnist","spec":%s,
         "training":{"epochs":1,"batchSize":64,"optimizer":"ADAM","learningRate":0.005,"seed":7,
                     "maxTrainExamples":2000,"maxTestExamples":500,
                     "gradientClipping":{"type":"NORM","threshold":1.0}}}"""
            .formatted(LSTM);
    Api.Response submitted = api.post("/api/v1/jobs", job);
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    UUID id = UUID.fromString(submitted.body().path("id").asText());
    JsonNode done =
        api.awaitJob(
            id,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(10));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    String modelId = done.path("modelId").asText();
    // 4*32*(28+32+1) + 32*10+10
    assertThat(
            api.get("/api/v1/models/" + modelId + "/summary").body().path("totalParams").asLong())
        .isEqualTo(8_138);

    DatasetSplit split = datasets.open("fashion-mnist", 0.2, 1);
    int[] rows = java.util.stream.IntStream.range(0, 8).toArray();
    List<List<List<Double>>> sequences = new ArrayList<>();
    List<List<Double>> flat = new ArrayList<>();
    try (INDArray x = split.test().features(rows)) {
      float[] all = x.dup('c').data().asFloat();
      for (int r = 0; r < rows.length; r++) {
        List<List<Double>> steps = new ArrayList<>();
        List<Double> pixels = new ArrayList<>();
        for (int h = 0; h < 28; h++) {
          List<Double> step = new ArrayList<>();
          for (int w = 0; w < 28; w++) {
            double v = all[r * 784 + h * 28 + w];
            step.add(v);
            pixels.add(v);
          }
          steps.add(step);
        }
        sequences.add(steps);
        flat.add(pixels);
      }
    }
    JsonNode bySequences = classify(api, modelId, Map.of("sequences", sequences));
    JsonNode byPixels = classify(api, modelId, Map.of("instances", flat));
    for (int i = 0; i < rows.length; i++) {
      JsonNode s = bySequences.path("predictions").get(i);
      JsonNode p = byPixels.path("predictions").get(i);
      assertThat(s.path("label").asText()).isEqualTo(p.path("label").asText());
      assertThat(s.path("probability").asDouble())
          .isCloseTo(p.path("probability").asDouble(), org.assertj.core.data.Offset.offset(1e-5));
    }

    List<List<List<Double>>> ragged = List.of(sequences.get(0), sequences.get(1).subList(0, 27));
    Api.Response bad =
        api.post("/api/v1/models/" + modelId + "/classify", Map.of("sequences", ragged));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().path("errors").get(0).path("field").asText()).isEqualTo("sequences[1]");
    Api.Response narrow =
        api.post(
            "/api/v1/models/" + modelId + "/classify",
            Map.of("sequences", List.of(List.of(List.of(0.1, 0.2)))));
    assertThat(narrow.status()).isEqualTo(400);
    assertThat(narrow.body().path("errors").get(0).path("message").asText())
        .contains("must have 28 features per step");
  }

  private JsonNode classify(Api api, String modelId, Object body) {
    Api.Response r = api.post("/api/v1/models/" + modelId + "/classify", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    return r.body();
  }
}
