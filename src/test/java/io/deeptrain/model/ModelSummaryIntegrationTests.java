package io.deeptrain.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import io.deeptrain.fixtures.Specs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** What a user sees when asking for a model's shape and size before or after training. */
@IntegrationTest
class ModelSummaryIntegrationTests {

  static final String TUTORIAL = Specs.TUTORIAL_CNN;

  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  @Test
  void shouldSummariseTheTutorialCnnLikeKeras() {
    Api.Response r =
        api.post(
            "/api/v1/specs/summary",
            "{\"spec\":" + TUTORIAL + ",\"inputShape\":[3,32,32],\"classes\":10}");

    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode body = r.body();
    assertThat(body.path("totalParams").asLong()).isEqualTo(122_570);
    assertThat(body.path("nonTrainableParams").asLong()).isZero();
    List<Long> params = new ArrayList<>();
    body.path("layers").forEach(l -> params.add(l.path("params").asLong()));
    assertThat(params).containsExactly(896L, 0L, 18_496L, 0L, 36_928L, 0L, 65_600L, 650L);
    assertThat(body.path("layers").get(0).path("outputShape").toString()).isEqualTo("[32,30,30]");
    assertThat(body.path("table").asText())
        .contains("Output Shape")
        .containsPattern("conv2d_1 \\(Conv2D\\) +\\(None, 13, 13, 64\\) +18,496")
        .contains("Total params: 122,570");
  }

  @Test
  void shouldSummariseAnMlpOnADataset() {
    Api.Response r =
        api.post(
            "/api/v1/specs/summary",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":16},{\"units\":16}]}}");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("totalParams").asLong()).isEqualTo(403);
    assertThat(r.body().path("inputShape").toString()).isEqualTo("[4]");
  }

  @Test
  void shouldRejectABadFieldWith400NamingIt() {
    Api.Response r =
        api.post(
            "/api/v1/specs/summary",
            "{\"spec\":{\"type\":\"CNN\",\"layers\":[{\"type\":\"CONV2D\",\"filters\":32,\"kernelSize\":40}]},"
                + "\"inputShape\":[3,32,32],\"classes\":10}");

    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.body().path("type").asText()).endsWith("/invalid-request");
    assertThat(r.body().path("errors").get(0).path("field").asText())
        .isEqualTo("spec.layers[0].kernelSize");
    assertThat(r.body().path("detail").asText()).contains("between 1 and 31, got 40");
  }

  @Test
  void shouldRejectAnUnknownLayerTypeListingTheAllowedOnes() {
    Api.Response r =
        api.post(
            "/api/v1/specs/summary",
            "{\"spec\":{\"type\":\"CNN\",\"layers\":[{\"type\":\"CONV3D\"}]},\"inputShape\":[3,32,32],\"classes\":10}");
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.body().path("errors").get(0).path("field").asText())
        .isEqualTo("spec.layers[0].type");
    assertThat(r.body().path("detail").asText()).contains("allowed: CONV2D, MAX_POOL");
  }

  @Test
  void shouldAnswer422NamingTheLayerWhoseWindowDoesNotFit() {
    Api.Response r =
        api.post(
            "/api/v1/specs/summary",
            "{\"spec\":{\"type\":\"CNN\",\"layers\":[{\"type\":\"CONV2D\",\"filters\":64,\"kernelSize\":3},"
                + "{\"type\":\"MAX_POOL\"},{\"type\":\"MAX_POOL\"},{\"type\":\"MAX_POOL\"}]},"
                + "\"inputShape\":[1,6,6],\"classes\":10}");

    assertThat(r.status()).as(r.raw()).isEqualTo(422);
    assertThat(r.body().path("type").asText()).endsWith("/spec-does-not-fit-dataset");
    assertThat(r.body().path("errors").get(0).path("field").asText()).isEqualTo("spec.layers[3]");
    assertThat(r.body().path("detail").asText())
        .contains("MAX_POOL 2x2 stride 2 on a 1x1x64 feature map leaves nothing");
  }

  @Test
  void shouldAnswer422ForACnnOnTabularData() {
    Api.Response r =
        api.post("/api/v1/specs/summary", "{\"dataset\":\"iris\",\"spec\":" + TUTORIAL + "}");
    assertThat(r.status()).as(r.raw()).isEqualTo(422);
    assertThat(r.body().path("detail").asText())
        .isEqualTo(
            "spec CNN needs image input [channels, height, width]; dataset 'iris' has 4 features");
  }

  @Test
  void shouldSummariseATrainedModel() {
    UUID job =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(2)).body().path("id").asText());
    JsonNode done = api.awaitStatus(job, "SUCCEEDED", Duration.ofMinutes(1));

    Api.Response r = api.get("/api/v1/models/" + done.path("modelId").asText() + "/summary");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("totalParams").asLong()).isEqualTo(403);
    assertThat(r.body().path("table").asText()).contains("dense_2 (Dense)");
    assertThat(api.get("/api/v1/models/" + UUID.randomUUID() + "/summary").status()).isEqualTo(404);
  }
}
