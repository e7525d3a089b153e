package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Multipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A character-level LSTM language model trained on the GPL-3 text (~35 KB, on every Debian): it
 * must beat the unigram baseline's perplexity by far, store a sample per epoch, and complete a
 * prompt reproducibly.
 */
@IntegrationTest
@Tag("slow")
class LanguageModelIntegrationTests {

  static final Path GPL = Path.of("/usr/share/common-licenses/GPL-3");

  @LocalServerPort int port;

  @Test
  void shouldLearnTheGplTextAndCompleteAPrompt() throws Exception {
    assumeThat(Files.exists(GPL)).as("Debian's base-files GPL-3 text").isTrue();
    Api api = new Api(port);
    Api.Response bad =
        api.post(
            "/api/v1/datasets",
            new Multipart()
                .field("name", "not-utf8")
                .field("kind", "text")
                .file("file", "bad.txt", "text/plain", new byte[] {'a', (byte) 0xC3, '(', 'b'}));
    assertThat(bad.status()).as(bad.raw()).isEqualTo(400);
    assertThat(bad.raw()).contains("not valid UTF-8");

    Api.Response uploaded =
        api.post(
            "/api/v1/datasets",
            new Multipart()
                .field("name", "gpl3")
                .field("kind", "text")
                .file("file", "GPL-3", "text/plain", Files.readAllBytes(GPL)));
    assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);
    int vocabulary = uploaded.body().path("classes").size();
    assertThat(vocabulary).isBetween(40, 100);

    String spec =
        """
        {"type":"LSTM","layers":[{"units":128}],"head":"LANGUAGE_MODEL","sequenceLength":64,
         "tbpttLength":32}""";
    Api.Response misfit = api.post("/api/v1/jobs", "{\"dataset\":\"iris\",\"spec\":" + spec + "}");
    assertThat(misfit.status()).as(misfit.raw()).isEqualTo(422);
    assertThat(misfit.body().path("errors").get(0).path("field").asText()).isEqualTo("spec.head");
    Api.Response cnnOnText =
        api.post(
            "/api/v1/jobs",
            "{\"dataset\":\"gpl3\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":8}]}}");
    assertThat(cnnOnText.status()).isEqualTo(422);

    Api.Response submitted =
        api.post(
            "/api/v1/jobs",
            """
            {"name":"gpl-lm","dataset":"gpl3","spec":%s,
             "training":{"epochs":20,"batchSize":32,"optimizer":"ADAM","learningRate":0.005,
                         "seed":3,"gradientClipping":{"type":"NORM","threshold":1.0}}}"""
                .formatted(spec));
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    UUID id = UUID.fromString(submitted.body().path("id").asText());
    JsonNode done =
        api.awaitJob(
            id,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(15));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    String modelId = done.path("modelId").asText();
    JsonNode metrics = api.get("/api/v1/models/" + modelId).body().path("metrics");
    double perplexity = metrics.path("perplexity").asDouble();
    double unigram = metrics.path("unigram_perplexity").asDouble();
    System.out.printf("GPL-3 LSTM: perplexity %.3f, unigram %.3f%n", perplexity, unigram);
    assertThat(perplexity).isLessThan(unigram / 2);

    JsonNode samples = api.get("/api/v1/jobs/" + id + "/samples").body();
    assertThat(samples).hasSize(20);
    assertThat(samples.get(19).path("text").asText().length()).isGreaterThan(200);
    System.out.println("epoch 20 sample: " + samples.get(19).path("text").asText());

    Map<String, Object> request =
        Map.of("prompt", "This License ", "length", 80, "temperature", 0.5, "seed", 42);
    Api.Response first = api.post("/api/v1/models/" + modelId + "/complete", request);
    assertThat(first.status()).as(first.raw()).isEqualTo(200);
    String text = first.body().path("completion").asText();
    assertThat(text).hasSize(80);
    Api.Response again = api.post("/api/v1/models/" + modelId + "/complete", request);
    assertThat(again.body().path("completion").asText()).isEqualTo(text);
    System.out.println("completion: This License " + text);

    Api.Response unknown =
        api.post(
            "/api/v1/models/" + modelId + "/complete",
            Map.of("prompt", "caf\u00e9 \u20ac", "length", 5));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().path("errors").get(0).path("field").asText()).isEqualTo("prompt");
    assertThat(unknown.body().path("errors").get(0).path("message").asText())
        .contains("\u00e9")
        .contains("\u20ac");
  }
}
