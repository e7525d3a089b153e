package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import io.deeptrain.generative.ImageGrids;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A tiny VAE trained on 500 Fashion-MNIST images through the API, then every generative endpoint as
 * a user calls it: JSON and PNG answers, wrong model kinds and bad fields.
 */
@IntegrationTest
class VaeFashionMnistIntegrationTests {

  @LocalServerPort int port;
  @Autowired DatasetCatalog datasets;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldTrainATinyVaeAndServeEveryGenerativeEndpoint() throws Exception {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
    Api api = new Api(port);
    Api.Response misfit =
        api.post(
            "/api/v1/jobs",
            """
            {"dataset":"fashion-mnist","spec":{"type":"VAE","architecture":"CONVOLUTIONAL",
             "hidden":[8,8,8]}}""");
    assertThat(misfit.status()).as(misfit.raw()).isEqualTo(422);
    assertThat(misfit.raw()).contains("spec.hidden", "height 28 cannot be halved 3 times");

    Api.Response submitted =
        api.post(
            "/api/v1/jobs",
            """
            {"name":"tiny-vae","dataset":"fashion-mnist",
             "spec":{"type":"VAE","hidden":[64],"latentSize":4},
             "training":{"epochs":2,"batchSize":50,"learningRate":0.003,"seed":5,
                         "maxTrainExamples":500,"maxTestExamples":200}}""");
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    UUID job = UUID.fromString(submitted.body().path("id").asText());
    JsonNode done =
        api.awaitJob(
            job,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED"),
            Duration.ofSeconds(60));
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    String model = "/api/v1/models/" + done.path("modelId").asText();

    JsonNode testLoss =
        api.get("/api/v1/jobs/" + job + "/metrics?name=test_loss").body().path("series").get(0);
    assertThat(testLoss.path("points")).hasSize(2);
    for (String name : new String[] {"train_loss", "reconstruction_loss", "latent_loss", "loss"}) {
      assertThat(
              api.get("/api/v1/jobs/" + job + "/metrics?name=" + name)
                  .body()
                  .path("series")
                  .get(0)
                  .path("points")
                  .size())
          .as(name)
          .isPositive();
    }
    int grid8 = ImageCodec.gridSize(8, 28, ImageGrids.GAP);
    assertPng(api.getBytes("/api/v1/jobs/" + job + "/samples/2.png"), grid8, grid8);

    // generate: JSON (seed echoed, reproducible) and PNG
    Api.Response generated = api.post(model + "/generate", "{\"n\":6,\"seed\":9,\"raw\":true}");
    assertThat(generated.status()).as(generated.raw()).isEqualTo(200);
    assertThat(generated.headers().firstValue("X-Seed")).contains("9");
    assertThat(generated.body().path("shape").toString()).isEqualTo("[6,1,28,28]");
    assertThat(generated.body().path("images")).hasSize(6);
    assertThat(generated.body().path("pixels").get(0)).hasSize(784);
    assertPng(decode(generated.body().path("images").get(0).asText()), 28, 28);
    assertPng(
        decode(generated.body().path("grid").asText()),
        ImageCodec.gridSize(2, 28, ImageGrids.GAP),
        ImageCodec.gridSize(3, 28, ImageGrids.GAP));
    Api.Response again = api.post(model + "/generate", "{\"n\":6,\"seed\":9}");
    assertThat(again.body().path("images")).isEqualTo(generated.body().path("images"));
    Api.Response defaults = api.post(model + "/generate", "{}");
    assertThat(defaults.body().path("images")).hasSize(16);
    assertThat(defaults.headers().firstValue("X-Seed")).isPresent();
    HttpResponse<byte[]> png = postPng(model + "/generate", "{\"n\":64,\"seed\":1}");
    assertThat(png.statusCode()).isEqualTo(200);
    assertPng(png.body(), grid8, grid8);
    HttpResponse<byte[]> tooManyPng = postPng(model + "/generate", "{\"n\":0}");
    assertThat(tooManyPng.statusCode()).isEqualTo(400);
    assertThat(new String(tooManyPng.body())).contains("must be 1 to 256");
    Api.Response tooMany = api.post(model + "/generate", "{\"n\":257}");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.body().path("errors").get(0).path("field").asText()).isEqualTo("n");
    assertThat(tooMany.raw()).contains("1 to 256");

    // reconstruct
    String[] tests = testImages(3);
    Api.Response reconstructed =
        api.post(
            model + "/reconstruct",
            "{\"images\":[\"" + tests[0] + "\",\"" + tests[1] + "\",\"" + tests[2] + "\"]}");
    assertThat(reconstructed.status()).as(reconstructed.raw()).isEqualTo(200);
    assertThat(reconstructed.body().path("reconstructions")).hasSize(3);
    assertPng(decode(reconstructed.body().path("reconstructions").get(2).asText()), 28, 28);
    assertPng(
        decode(reconstructed.body().path("grid").asText()),
        ImageCodec.gridSize(2, 28, ImageGrids.GAP),
        ImageCodec.gridSize(3, 28, ImageGrids.GAP));
    Api.Response badImage = api.post(model + "/reconstruct", "{\"images\":[\"bm90IGFuIGltYWdl\"]}");
    assertThat(badImage.status()).isEqualTo(400);
    assertThat(badImage.body().path("errors").get(0).path("field").asText()).isEqualTo("images[0]");

    // interpolate
    String between = "{\"from\":\"" + tests[0] + "\",\"to\":\"" + tests[1] + "\",\"steps\":5}";
    Api.Response strip = api.post(model + "/interpolate", between);
    assertThat(strip.status()).as(strip.raw()).isEqualTo(200);
    assertThat(strip.body().path("images")).hasSize(5);
    assertPng(
        postPng(model + "/interpolate", between).body(),
        ImageCodec.gridSize(1, 28, ImageGrids.GAP),
        ImageCodec.gridSize(5, 28, ImageGrids.GAP));
    Api.Response oneStep =
        api.post(model + "/interpolate", between.replace("\"steps\":5", "\"steps\":1"));
    assertThat(oneStep.status()).isEqualTo(400);
    assertThat(oneStep.body().path("errors").get(0).path("field").asText()).isEqualTo("steps");

    // latent map
    Api.Response latent = api.get(model + "/latent?limit=150");
    assertThat(latent.status()).as(latent.raw()).isEqualTo(200);
    assertThat(latent.body().path("points")).hasSize(150);
    assertThat(latent.body().path("labels")).hasSize(10);
    assertThat(latent.body().path("points").get(0).path("label").asText()).isNotBlank();
    HttpResponse<byte[]> scatter = getPng(model + "/latent?limit=150");
    assertThat(scatter.statusCode()).isEqualTo(200);
    assertPng(scatter.body(), LatentScatterPlot.HEIGHT, LatentScatterPlot.WIDTH);

    // inpaint: erase the bottom half by a list, then a mask
    StringBuilder erased = new StringBuilder();
    for (int r = 14; r < 28; r++) {
      for (int c = 0; c < 28; c++) {
        erased
            .append(erased.length() == 0 ? "" : ",")
            .append("[")
            .append(r)
            .append(",")
            .append(c)
            .append("]");
      }
    }
    String inpaint = "{\"image\":\"" + tests[0] + "\",\"erased\":[" + erased + "],\"seed\":3}";
    Api.Response completed = api.post(model + "/inpaint", inpaint);
    assertThat(completed.status()).as(completed.raw()).isEqualTo(200);
    assertThat(completed.body().path("erasedPixels").asInt()).isEqualTo(14 * 28);
    assertThat(completed.body().path("seed").asLong()).isEqualTo(3);
    BufferedImage original = assertPng(decode(completed.body().path("original").asText()), 28, 28);
    BufferedImage filled = assertPng(decode(completed.body().path("completed").asText()), 28, 28);
    BufferedImage masked = assertPng(decode(completed.body().path("masked").asText()), 28, 28);
    assertThat(filled.getRGB(5, 3)).isEqualTo(original.getRGB(5, 3));
    assertThat(masked.getRaster().getSample(5, 20, 0)).isBetween(126, 129);
    byte[] mask = ImageCodec.encodePng(halfMask(), 1, 28, 28);
    HttpResponse<byte[]> completedPng =
        postPng(
            model + "/inpaint",
            "{\"image\":\"" + tests[0] + "\",\"mask\":\"" + b64(mask) + "\",\"seed\":3}");
    assertThat(completedPng.statusCode()).isEqualTo(200);
    assertPng(completedPng.body(), 28, 28);
    Api.Response both =
        api.post(
            model + "/inpaint",
            "{\"image\":\"" + tests[0] + "\",\"mask\":\"" + b64(mask) + "\",\"erased\":[[0,0]]}");
    assertThat(both.status()).isEqualTo(400);
    Api.Response outside =
        api.post(model + "/inpaint", "{\"image\":\"" + tests[0] + "\",\"erased\":[[28,0]]}");
    assertThat(outside.status()).isEqualTo(400);
    assertThat(outside.body().path("errors").get(0).path("field").asText()).isEqualTo("erased[0]");

    // a classifier is not generative
    Api.Response iris = api.post("/api/v1/jobs", Jobs.irisMlp(2));
    UUID irisJob = UUID.fromString(iris.body().path("id").asText());
    JsonNode irisDone = api.awaitStatus(irisJob, "SUCCEEDED", Duration.ofSeconds(30));
    String classifier = "/api/v1/models/" + irisDone.path("modelId").asText();
    Api.Response notGenerative = api.post(classifier + "/generate", "{}");
    assertThat(notGenerative.status()).isEqualTo(409);
    assertThat(notGenerative.body().path("detail").asText())
        .contains("MLP classifier", "/classify", "/generate needs a generative model");
    Api.Response notVae =
        api.post(classifier + "/reconstruct", "{\"images\":[\"" + tests[0] + "\"]}");
    assertThat(notVae.status()).isEqualTo(409);
    assertThat(notVae.body().path("detail").asText()).contains("needs a VAE");
  }

  private static byte[] halfMask() {
    byte[] mask = new byte[28 * 28];
    for (int i = 14 * 28; i < mask.length; i++) {
      mask[i] = (byte) 255;
    }
    return mask;
  }

  private String[] testImages(int n) {
    DatasetSplit split = datasets.open("fashion-mnist", 0.2, 1);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      try (INDArray image = split.test().features(new int[] {i})) {
        out[i] = b64(ImageGrids.png(image));
      }
    }
    return out;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] decode(String b64) {
    return Base64.getDecoder().decode(b64);
  }

  private static BufferedImage assertPng(byte[] png, int height, int width) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).as("a PNG ImageIO decodes").isNotNull();
    assertThat(image.getHeight()).isEqualTo(height);
    assertThat(image.getWidth()).isEqualTo(width);
    return image;
  }

  private HttpResponse<byte[]> postPng(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .header("Accept", "image/png")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> getPng(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Accept", "image/png")
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
