package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Multipart;
import io.deeptrain.fixtures.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The TensorFlow-tutorial CNN (adapted to 28x28x1) trained as a job on real Fashion-MNIST, then
 * used through every classify path. CI runs a short version: a 12k-image subset, 2 epochs, and a
 * bound that still proves learning; the full 5-epoch figures are in the issue notes.
 */
@IntegrationTest
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FashionMnistCnnIntegrationTests {

  static final String TUTORIAL_CNN = Specs.TUTORIAL_CNN;

  static String modelId;

  @LocalServerPort int port;
  @Autowired DatasetCatalog datasets;

  @BeforeAll
  static void requireFashionMnist() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
  }

  @Test
  @Order(1)
  void shouldLearnFashionMnistWithTheTutorialCnn() {
    Api api = new Api(port);
    String job =
        """
        {"name":"fashion-cnn","dataset":"fashion-mnist","spec":%s,
         "training":{"epochs":2,"batchSize":64,"optimizer":"ADAM","learningRate":0.001,"seed":7,
                     "maxTrainExamples":12000,"maxTestExamples":2000}}"""
            .formatted(TUTORIAL_CNN);
    Api.Response submitted = api.post("/api/v1/jobs", job);
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    UUID id = UUID.fromString(submitted.body().path("id").asText());

    JsonNode done =
        api.awaitJob(
            id,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(10));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    modelId = done.path("modelId").asText();

    JsonNode model = api.get("/api/v1/models/" + modelId).body();
    assertThat(model.path("inputShape").toString()).isEqualTo("[1,28,28]");
    assertThat(model.path("labels").size()).isEqualTo(10);
    assertThat(model.path("metrics").path("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.80);

    JsonNode confusion = api.get("/api/v1/models/" + modelId + "/confusion").body();
    assertThat(confusion.path("total").asInt()).isEqualTo(2000);

    JsonNode summary = api.get("/api/v1/models/" + modelId + "/summary").body();
    assertThat(summary.path("totalParams").asLong()).isEqualTo(93_322);
  }

  @Test
  @Order(2)
  void shouldGiveTheSameLabelsThroughPngFilesBase64AndRawArrays() throws Exception {
    assumeThat(modelId).as("the model of the previous test").isNotNull();
    Api api = new Api(port);
    DatasetSplit split = datasets.open("fashion-mnist", 0.2, 1);
    int[] rows = IntStream.range(0, 16).toArray();
    List<List<Double>> raw = new ArrayList<>();
    List<byte[]> pngs = new ArrayList<>();
    try (INDArray x = split.test().features(rows)) {
      for (int r = 0; r < rows.length; r++) {
        float[] pixels = x.reshape(rows.length, 784).getRow(r).dup().data().asFloat();
        List<Double> row = new ArrayList<>(pixels.length);
        byte[] bytes = new byte[pixels.length];
        for (int k = 0; k < pixels.length; k++) {
          row.add((double) pixels[k]);
          bytes[k] = (byte) Math.round(pixels[k] * 255f);
        }
        raw.add(row);
        pngs.add(ImageCodec.encodePng(bytes, 1, 28, 28));
      }
    }

    JsonNode byArrays =
        classify(
            api,
            "{\"instances\":"
                + new tools.jackson.databind.json.JsonMapper().writeValueAsString(raw)
                + "}");
    Multipart files = new Multipart();
    for (int i = 0; i < pngs.size(); i++) {
      files.file("file", "test-" + i + ".png", "image/png", pngs.get(i));
    }
    Api.Response byFiles = api.post("/api/v1/models/" + modelId + "/classify?topK=2", files);
    assertThat(byFiles.status()).as(byFiles.raw()).isEqualTo(200);
    List<String> b64 = pngs.stream().map(p -> Base64.getEncoder().encodeToString(p)).toList();
    JsonNode byBase64 =
        classify(
            api,
            new tools.jackson.databind.json.JsonMapper()
                .writeValueAsString(java.util.Map.of("images", b64)));

    for (int i = 0; i < rows.length; i++) {
      String label = byArrays.path("predictions").get(i).path("label").asText();
      double p = byArrays.path("predictions").get(i).path("probability").asDouble();
      JsonNode file = byFiles.body().path("predictions").get(i);
      assertThat(file.path("input").asText()).isEqualTo("test-" + i + ".png");
      assertThat(file.path("label").asText()).isEqualTo(label);
      assertThat(file.path("probability").asDouble())
          .isCloseTo(p, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(file.path("top")).hasSize(2);
      assertThat(byBase64.path("predictions").get(i).path("label").asText()).isEqualTo(label);
    }
    // The model is right on most of these real test images.
    long right =
        IntStream.range(0, rows.length)
            .filter(
                i ->
                    byArrays
                        .path("predictions")
                        .get(i)
                        .path("label")
                        .asText()
                        .equals(split.classes().get(split.test().labels()[i])))
            .count();
    assertThat(right).isGreaterThanOrEqualTo(11);
  }

  @Test
  @Order(3)
  void shouldRejectColourUndecodableAndMisshapedInputs() {
    assumeThat(modelId).as("the model of the first test").isNotNull();
    Api api = new Api(port);
    Api.Response colour =
        api.post(
            "/api/v1/models/" + modelId + "/classify",
            new Multipart()
                .file(
                    "file",
                    "red.png",
                    "image/png",
                    io.deeptrain.fixtures.ImageFiles.rgb(28, 28, 0xff0000, "png")));
    assertThat(colour.status()).isEqualTo(400);
    assertThat(colour.body().path("errors").get(0).path("field").asText())
        .isEqualTo("file 'red.png'");
    assertThat(colour.body().path("errors").get(0).path("message").asText())
        .contains("expects grayscale");

    Api.Response garbage =
        api.post(
            "/api/v1/models/" + modelId + "/classify",
            new Multipart().file("file", "notes.txt", "text/plain", "hello".getBytes()));
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.body().path("errors").get(0).path("message").asText())
        .contains("not a PNG or JPEG");

    Api.Response shortRow =
        api.post("/api/v1/models/" + modelId + "/classify", "{\"instances\":[[0.1,0.2]]}");
    assertThat(shortRow.status()).isEqualTo(400);
    assertThat(shortRow.body().path("detail").asText()).contains("784 values (1x28x28 pixels");

    Api.Response misfit =
        api.post("/api/v1/jobs", "{\"dataset\":\"iris\",\"spec\":" + TUTORIAL_CNN + "}");
    assertThat(misfit.status()).isEqualTo(422);
    assertThat(misfit.body().path("type").asText()).endsWith("/spec-does-not-fit-dataset");
  }

  private JsonNode classify(Api api, String json) {
    Api.Response r = api.post("/api/v1/models/" + modelId + "/classify", json);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    return r.body();
  }
}
