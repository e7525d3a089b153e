package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import io.deeptrain.generative.ImageGrids;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * FGSM through the API on a tiny CNN trained as a job on 500 Fashion-MNIST images, and on the
 * README's iris MLP.
 */
@IntegrationTest
class AdversarialIntegrationTests {

  private static final String TINY_CNN =
      """
      {"type":"CNN","layers":[
        {"type":"CONV2D","filters":8,"kernelSize":3,"activation":"RELU"},
        {"type":"MAX_POOL","size":2},
        {"type":"FLATTEN"},
        {"type":"DENSE","units":32,"activation":"RELU"}]}""";

  private static String cnnId;
  private static String irisId;
  private static String lstmId;

  @LocalServerPort int port;
  @Autowired DatasetCatalog datasets;

  private Api api;
  private byte[] png;
  private byte[] pixels;

  @BeforeEach
  void trainModels() {
    api = new Api(port);
    if (cnnId == null) {
      cnnId =
          train(
              """
              {"name":"fgsm-cnn","dataset":"fashion-mnist","spec":%s,
               "training":{"epochs":2,"batchSize":32,"optimizer":"ADAM","learningRate":0.003,
                           "seed":3,"maxTrainExamples":500,"maxTestExamples":200}}"""
                  .formatted(TINY_CNN));
      irisId = train(Jobs.irisMlp(30));
      lstmId =
          train(
              """
              {"name":"fgsm-lstm","dataset":"fashion-mnist",
               "spec":{"type":"LSTM","layers":[{"units":4}],"head":"CLASSIFICATION",
                       "view":"ROWS_AS_SEQUENCE"},
               "training":{"epochs":1,"batchSize":50,"seed":3,"maxTrainExamples":100,
                           "maxTestExamples":100}}""");
    }
    try (INDArray x = datasets.open("fashion-mnist", 0.2, 1).test().features(new int[] {0})) {
      float[] values = x.dup('c').data().asFloat();
      pixels = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        pixels[i] = (byte) Math.round(values[i] * 255f);
      }
    }
    png = ImageCodec.encodePng(pixels, 1, 28, 28);
  }

  @Test
  void shouldPerturbAnImageWithinEpsilonAndClassifyItAgain() throws Exception {
    Api.Response r =
        api.post(
            "/api/v1/models/" + cnnId + "/adversarial",
            "{\"image\":\"%s\",\"epsilon\":0.2}"
                .formatted(Base64.getEncoder().encodeToString(png)));

    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode body = r.body();
    assertThat(body.path("epsilon").asDouble()).isEqualTo(0.2);
    // No label sent: the attack is against the predicted class.
    assertThat(body.path("label").asText()).isEqualTo(body.path("original").path("label").asText());
    assertThat(body.path("original").path("probability").asDouble()).isBetween(0.0, 1.0);
    assertThat(body.path("adversarial").path("probability").asDouble()).isBetween(0.0, 1.0);
    assertThat(body.path("fooled").asBoolean())
        .isEqualTo(
            !body.path("adversarial")
                .path("label")
                .asText()
                .equals(body.path("original").path("label").asText()));

    BufferedImage adversarial = decode(body.path("image").asText());
    BufferedImage perturbation = decode(body.path("perturbation").asText());
    assertThat(adversarial.getWidth()).isEqualTo(28);
    assertThat(perturbation.getHeight()).isEqualTo(28);
    int maxChange = 0;
    int changed = 0;
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        int before = pixels[y * 28 + x] & 0xff;
        int after = adversarial.getRaster().getSample(x, y, 0);
        maxChange = Math.max(maxChange, Math.abs(after - before));
        changed += after != before ? 1 : 0;
      }
    }
    // ε = 0.2 is 51 grey levels; rounding to 8 bits adds at most one.
    assertThat(maxChange).isLessThanOrEqualTo(52);
    assertThat(changed).isGreaterThan(100);
    assertThat(body.path("instance").size()).isEqualTo(784);
  }

  @Test
  void shouldAnswerAPngStripWhenAskedForOne() throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:"
                                + port
                                + "/api/v1/models/"
                                + cnnId
                                + "/adversarial"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "image/png")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"image\":\"%s\",\"label\":\"0\"}"
                                .formatted(Base64.getEncoder().encodeToString(png))))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> t.startsWith("image/png"));
    BufferedImage strip = ImageIO.read(new ByteArrayInputStream(r.body()));
    assertThat(strip.getWidth()).isEqualTo(ImageCodec.gridSize(3, 28, ImageGrids.GAP));
    assertThat(strip.getHeight()).isEqualTo(ImageCodec.gridSize(1, 28, ImageGrids.GAP));
    // The left tile is the input as sent.
    int gap = ImageGrids.GAP;
    assertThat(strip.getRaster().getSample(gap + 14, gap + 14, 0))
        .isEqualTo(pixels[14 * 28 + 14] & 0xff);
  }

  @Test
  void shouldRefuseAnEpsilonOutOfRangeNamingTheField() {
    Api.Response r =
        api.post(
            "/api/v1/models/" + cnnId + "/adversarial",
            "{\"image\":\"%s\",\"epsilon\":1.5}"
                .formatted(Base64.getEncoder().encodeToString(png)));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("errors").get(0).path("field").asText()).isEqualTo("epsilon");
    assertThat(r.body().path("errors").get(0).path("message").asText()).contains("<= 1", "1.5");
  }

  @Test
  void shouldRefuseALabelTheModelDoesNotKnow() {
    Api.Response r =
        api.post(
            "/api/v1/models/" + cnnId + "/adversarial",
            "{\"image\":\"%s\",\"label\":\"Hat\"}"
                .formatted(Base64.getEncoder().encodeToString(png)));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("errors").get(0).path("field").asText()).isEqualTo("label");
    assertThat(r.body().path("errors").get(0).path("message").asText()).contains("Ankle boot");
  }

  @Test
  void shouldAttackATabularModelInRawFeatureUnits() {
    Api.Response r =
        api.post(
            "/api/v1/models/" + irisId + "/adversarial",
            "{\"instance\":[5.1,3.5,1.4,0.2],\"epsilon\":0.5,\"label\":\"setosa\"}");

    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("label").asText()).isEqualTo("setosa");
    assertThat(r.body().path("image").isNull()).isTrue();
    JsonNode instance = r.body().path("instance");
    assertThat(instance.size()).isEqualTo(4);
    // Each feature moved by half its standard deviation, up or down (sepal length sd is ~0.8).
    double moved = Math.abs(instance.get(0).asDouble() - 5.1);
    assertThat(moved).isBetween(0.2, 0.6);
  }

  @Test
  void shouldExplainThatSequenceModelsCannotBeAttacked() {
    Api.Response r =
        api.post(
            "/api/v1/models/" + lstmId + "/adversarial",
            "{\"image\":\"%s\"}".formatted(Base64.getEncoder().encodeToString(png)));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("errors").get(0).path("message").asText())
        .contains("LSTM", "image or tabular classifier");
  }

  private String train(String job) {
    Api.Response submitted = api.post("/api/v1/jobs", job);
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    JsonNode done =
        api.awaitJob(
            UUID.fromString(submitted.body().path("id").asText()),
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(3));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    return done.path("modelId").asText();
  }

  private static BufferedImage decode(String base64) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
  }
}
