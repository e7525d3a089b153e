package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.ImageFiles;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Multipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What a teacher does with their own pictures: zip class folders of PNGs, upload them, train a
 * small CNN on them, and classify new pictures.
 */
@IntegrationTest
class ImageUploadTrainingIntegrationTests {

  static final List<String> CLASSES = List.of("Trouser", "Bag", "Sneaker");

  @LocalServerPort int port;
  @Autowired DatasetCatalog datasets;

  @Test
  void shouldTrainOnAnUploadedImageZipAndClassifyNewImages() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .isTrue();
    Api api = new Api(port);
    DatasetSplit fashion = datasets.open("fashion-mnist", 0.2, 1);

    // 60 training pictures per class in class-named folders, as a person would zip them.
    Map<String, byte[]> entries = new LinkedHashMap<>();
    pick(fashion, true, 60)
        .forEach(
            (png, label) -> entries.put("clothes/" + label + "/" + entries.size() + ".png", png));
    String name = "clothes-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response uploaded =
        api.postMultipart(
            "/api/v1/datasets",
            Map.of("name", name, "kind", "images"),
            "clothes.zip",
            ImageFiles.zip(entries));
    assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);
    assertThat(uploaded.body().path("inputShape").toString()).isEqualTo("[1,28,28]");
    assertThat(uploaded.body().path("classes").toString())
        .isEqualTo("[\"Bag\",\"Sneaker\",\"Trouser\"]");

    String job =
        """
        {"dataset":"%s","spec":{"type":"CNN","layers":[
           {"type":"CONV2D","filters":8,"kernelSize":3},{"type":"MAX_POOL"},
           {"type":"RESIDUAL","filters":8},{"type":"GLOBAL_AVG_POOL"}]},
         "training":{"epochs":8,"batchSize":16,"optimizer":"ADAM","learningRate":0.01,"seed":3}}"""
            .formatted(name);
    Api.Response submitted = api.post("/api/v1/jobs", job);
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    JsonNode done =
        api.awaitJob(
            UUID.fromString(submitted.body().path("id").asText()),
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(3));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    String modelId = done.path("modelId").asText();

    // New pictures (from the test split, never uploaded) are recognised.
    Multipart files = new Multipart();
    Map<byte[], String> fresh = pick(fashion, false, 5);
    fresh.keySet().forEach(png -> files.file("file", "new.png", "image/png", png));
    Api.Response classified = api.post("/api/v1/models/" + modelId + "/classify", files);
    assertThat(classified.status()).as(classified.raw()).isEqualTo(200);
    List<String> expected = List.copyOf(fresh.values());
    int right = 0;
    for (int i = 0; i < expected.size(); i++) {
      if (classified
          .body()
          .path("predictions")
          .get(i)
          .path("label")
          .asText()
          .equals(expected.get(i))) {
        right++;
      }
    }
    assertThat(right).as(classified.raw()).isGreaterThanOrEqualTo(12);
  }

  /** The first {@code perClass} images of each of {@link #CLASSES} as PNGs, with their labels. */
  private static Map<byte[], String> pick(DatasetSplit split, boolean train, int perClass) {
    var examples = train ? split.train() : split.test();
    Map<byte[], String> out = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    int[] labels = examples.labels();
    for (int i = 0;
        i < examples.size()
            && counts.values().stream().mapToInt(Integer::intValue).sum()
                < perClass * CLASSES.size();
        i++) {
      String label = split.classes().get(labels[i]);
      if (!CLASSES.contains(label) || counts.getOrDefault(label, 0) >= perClass) {
        continue;
      }
      counts.merge(label, 1, Integer::sum);
      try (INDArray x = examples.features(new int[] {i})) {
        float[] pixels = x.reshape(1, 784).dup().data().asFloat();
        byte[] bytes = new byte[784];
        for (int k = 0; k < 784; k++) {
          bytes[k] = (byte) Math.round(pixels[k] * 255f);
        }
        out.put(ImageCodec.encodePng(bytes, 1, 28, 28), label);
      }
    }
    return out;
  }
}
