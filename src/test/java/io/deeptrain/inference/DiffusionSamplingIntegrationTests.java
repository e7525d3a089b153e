package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A tiny diffusion model trained as a job on a few hundred Fashion-MNIST images, then sampled
 * through /sample with both samplers, as JSON and as PNG.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiffusionSamplingIntegrationTests {

  static String modelId;
  static UUID jobId;

  @LocalServerPort int port;

  @BeforeAll
  static void requireFashionMnist() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
  }

  @Test
  @Order(1)
  void shouldTrainADiffusionModelAsAJob() {
    Api api = new Api(port);
    String job =
        """
        {"name":"tiny-diffusion","dataset":"fashion-mnist",
         "spec":{"type":"DIFFUSION","timesteps":100,"betaSchedule":"COSINE","channels":[8,16],
                 "timeEmbeddingSize":16},
         "training":{"epochs":1,"batchSize":32,"learningRate":0.002,"seed":1,
                     "maxTrainExamples":300,"maxTestExamples":100}}""";
    Api.Response submitted = api.post("/api/v1/jobs", job);
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    jobId = UUID.fromString(submitted.body().path("id").asText());

    JsonNode done =
        api.awaitJob(
            jobId,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(3));

    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    modelId = done.path("modelId").asText();
    HttpResponse<byte[]> grid = api.getRaw("/api/v1/jobs/" + jobId + "/samples/1.png");
    assertThat(grid.statusCode()).isEqualTo(200);
    assertSize(grid.body(), grid(4), grid(4));
    JsonNode metrics = api.get("/api/v1/jobs/" + jobId + "/metrics").body();
    assertThat(metrics.toString()).contains("test_loss", "train_loss", "samples_per_second");
  }

  @Test
  @Order(2)
  void shouldSampleTheSameImagesForTheSameSeed() {
    Api api = new Api(port);
    String request = "{\"n\":4,\"steps\":10,\"seed\":5}";

    Api.Response first = api.post(path(), request);
    Api.Response again = api.post(path(), request);
    Api.Response other = api.post(path(), "{\"n\":4,\"steps\":10,\"seed\":6}");

    assertThat(first.status()).as(first.raw()).isEqualTo(200);
    JsonNode images = first.body().path("images");
    assertThat(images.path("shape").toString()).isEqualTo("[4,1,28,28]");
    assertThat(images.path("images")).hasSize(4);
    assertThat(first.body().path("sampler").asText()).isEqualTo("DDIM");
    assertThat(first.body().path("steps").asInt()).isEqualTo(10);
    assertThat(first.body().path("trajectory").isNull()).isTrue();
    assertSize(decode(images.path("grid").asText()), grid(2), grid(2));
    assertSize(decode(images.path("images").get(0).asText()), 28, 28);
    assertThat(again.body().path("images").path("grid")).isEqualTo(images.path("grid"));
    assertThat(other.body().path("images").path("grid")).isNotEqualTo(images.path("grid"));
  }

  @Test
  @Order(3)
  void shouldSampleWithDdpmOverAllStepsAndShowTheTrajectory() {
    Api.Response r =
        new Api(port)
            .post(
                path(),
                "{\"n\":2,\"steps\":100,\"sampler\":\"DDPM\",\"seed\":1,"
                    + "\"returnIntermediate\":true,\"raw\":true}");

    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("sampler").asText()).isEqualTo("DDPM");
    assertSize(
        decode(r.body().path("trajectory").asText()), grid(1), ImageCodec.gridSize(10, 28, 2));
    JsonNode pixels = r.body().path("images").path("pixels");
    assertThat(pixels).hasSize(2);
    assertThat(pixels.get(0)).hasSize(784);
  }

  @Test
  @Order(4)
  void shouldAnswerThePngGridWhenAskedForAnImage() throws Exception {
    HttpResponse<byte[]> png =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path()))
                    .header("Content-Type", "application/json")
                    .header("Accept", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":9,\"steps\":5,\"seed\":2}"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("image/png"));
    assertSize(png.body(), grid(3), grid(3));
  }

  @Test
  @Order(5)
  void shouldRefuseBadCountsAndSteps() {
    Api api = new Api(port);

    Api.Response tooMany = api.post(path(), "{\"n\":257,\"steps\":101}");

    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.raw()).contains("\"n\"", "1 to 256", "\"steps\"", "1 to 100");
  }

  @Test
  @Order(6)
  void shouldPointOtherModelsToTheirEndpoint() {
    Api api = new Api(port);
    UUID iris =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(2)).body().path("id").asText());
    String irisModel =
        api.awaitStatus(iris, "SUCCEEDED", Duration.ofMinutes(1)).path("modelId").asText();

    Api.Response r = api.post("/api/v1/models/" + irisModel + "/sample", "{\"n\":2}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("detail").asText())
        .contains("is an MLP model, not a diffusion model")
        .contains("/api/v1/models/" + irisModel + "/classify");
  }

  static String path() {
    return "/api/v1/models/" + modelId + "/sample";
  }

  /** Side of a square grid of k x k 28-pixel tiles with 2-pixel gaps. */
  static int grid(int k) {
    return ImageCodec.gridSize(k, 28, 2);
  }

  static byte[] decode(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  static void assertSize(byte[] png, int height, int width) {
    BufferedImage image = ImageCodec.read(png);
    assertThat(image.getHeight()).isEqualTo(height);
    assertThat(image.getWidth()).isEqualTo(width);
  }
}
