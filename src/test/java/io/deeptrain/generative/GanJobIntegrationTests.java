package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A tiny GAN trained as a job on Fashion-MNIST, watched through its metrics and sample grids. */
@IntegrationTest
class GanJobIntegrationTests {

  @LocalServerPort int port;

  @BeforeAll
  static void requireFashionMnist() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
  }

  @Test
  void shouldTrainAGanJobAndServeOneSampleGridPerEpoch() {
    Api api = new Api(port);
    Api.Response submitted =
        api.post(
            "/api/v1/jobs",
            """
            {"name":"tiny-gan","dataset":"fashion-mnist",
             "spec":{"type":"GAN","architecture":"DENSE","latentSize":16,
                     "generator":{"hidden":[64],"learningRate":0.001,"beta1":0.5},
                     "discriminator":{"hidden":[64],"learningRate":0.001,"beta1":0.5},
                     "labelSmoothing":0.1,"discriminatorSteps":1},
             "training":{"epochs":2,"batchSize":50,"seed":3,"maxTrainExamples":500}}""");
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    UUID id = UUID.fromString(submitted.body().path("id").asText());

    JsonNode done =
        api.awaitJob(
            id,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(2));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");

    JsonNode metrics = api.get("/api/v1/jobs/" + id + "/metrics").body();
    List<String> names = new ArrayList<>();
    metrics.path("series").forEach(s -> names.add(s.path("name").asText()));
    assertThat(names)
        .contains(
            "loss",
            "d_loss",
            "g_loss",
            "d_real",
            "d_fake",
            "sample_diversity",
            "samples_per_second",
            "epoch_seconds");
    metrics
        .path("series")
        .forEach(
            s -> {
              if (s.path("name").asText().equals("d_loss")) {
                assertThat(s.path("points").size()).isEqualTo(2);
              }
            });

    JsonNode samples = api.get("/api/v1/jobs/" + id + "/samples").body();
    assertThat(samples.size()).isEqualTo(2);
    assertThat(samples.get(1).path("epoch").asInt()).isEqualTo(2);
    String path = samples.get(1).path("image").asText();
    assertThat(path).isEqualTo("/api/v1/jobs/" + id + "/samples/2.png");

    BufferedImage grid = ImageCodec.read(api.getBytes(path));
    int side = ImageCodec.gridSize(8, 28, ImageGrids.GAP);
    assertThat(grid.getWidth()).isEqualTo(side);
    assertThat(grid.getHeight()).isEqualTo(side);

    JsonNode model = api.get("/api/v1/models/" + done.path("modelId").asText()).body();
    assertThat(model.path("inputShape").toString()).isEqualTo("[1,28,28]");
    assertThat(model.path("metrics").has("d_real")).isTrue();
  }
}
