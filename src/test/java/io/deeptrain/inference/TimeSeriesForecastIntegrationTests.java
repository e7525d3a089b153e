package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Multipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** An LSTM forecaster on a noisy sine must beat the naive last-value forecast's RMSE. */
@IntegrationTest
@Tag("slow")
class TimeSeriesForecastIntegrationTests {

  @LocalServerPort int port;

  /** sin with period 50 steps, plus Gaussian noise of sd 0.1, seeded. */
  static double[] noisySine(int n, long seed) {
    Random random = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = Math.sin(2 * Math.PI * t / 50) + 0.1 * random.nextGaussian();
    }
    return y;
  }

  @Test
  void shouldBeatTheNaiveForecastOnANoisySineAndForecastFromHistory() {
    double[] y = noisySine(1500, 11);
    // Only the series itself: no phase column that would give the answer away.
    StringBuilder csv = new StringBuilder("y\n");
    for (double v : y) {
      csv.append(v).append('\n');
    }
    Api api = new Api(port);
    Api.Response uploaded =
        api.post(
            "/api/v1/datasets",
            new Multipart()
                .field("name", "sine")
                .field("kind", "timeseries")
                .field("window", "40")
                .field("horizon", "3")
                .file(
                    "file",
                    "sine.csv",
                    "text/csv",
                    csv.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);
    assertThat(uploaded.body().path("inputShape").toString()).isEqualTo("[40,1]");
    assertThat(uploaded.body().path("classes").toString()).isEqualTo("[\"y+1\",\"y+2\",\"y+3\"]");

    Api.Response notNumeric =
        api.post(
            "/api/v1/datasets",
            new Multipart()
                .field("name", "bad-series")
                .field("kind", "timeseries")
                .file("file", "bad.csv", "text/csv", "a,b\n1,2\n3,x\n".getBytes()));
    assertThat(notNumeric.status()).isEqualTo(400);
    assertThat(notNumeric.raw()).contains("line 3, column 'b'");

    String spec = "{\"type\":\"LSTM\",\"layers\":[{\"units\":32}],\"head\":\"REGRESSION\"}";
    assertThat(api.post("/api/v1/jobs", "{\"dataset\":\"iris\",\"spec\":" + spec + "}").status())
        .isEqualTo(422);
    Api.Response classifier =
        api.post(
            "/api/v1/jobs",
            "{\"dataset\":\"sine\",\"spec\":{\"type\":\"LSTM\",\"layers\":[{\"units\":8}]}}");
    assertThat(classifier.status()).isEqualTo(422);

    Api.Response submitted =
        api.post(
            "/api/v1/jobs",
            """
            {"name":"sine-lstm","dataset":"sine","spec":%s,
             "training":{"epochs":10,"batchSize":32,"optimizer":"ADAM","learningRate":0.005,
                         "seed":5,"gradientClipping":{"type":"NORM","threshold":1.0}}}"""
                .formatted(spec));
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    UUID id = UUID.fromString(submitted.body().path("id").asText());
    JsonNode done =
        api.awaitJob(
            id,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(10));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    String modelId = done.path("modelId").asText();
    JsonNode metrics = api.get("/api/v1/models/" + modelId).body().path("metrics");
    double rmse = metrics.path("test_rmse").asDouble();
    double naive = metrics.path("naive_rmse").asDouble();
    System.out.printf(
        "noisy sine, horizon 3: LSTM RMSE %.4f MAE %.4f; naive RMSE %.4f MAE %.4f%n",
        rmse, metrics.path("test_mae").asDouble(), naive, metrics.path("naive_mae").asDouble());
    assertThat(rmse).isLessThan(naive);

    List<List<Double>> history = new ArrayList<>();
    for (int t = y.length - 40; t < y.length; t++) {
      history.add(List.of(y[t]));
    }
    Api.Response forecast =
        api.post("/api/v1/models/" + modelId + "/forecast", Map.of("history", history));
    assertThat(forecast.status()).as(forecast.raw()).isEqualTo(200);
    assertThat(forecast.body().path("forecast")).hasSize(3);
    // The next true (noise-free) value is sin(2π·1500/50) = 0; the forecast is near it.
    assertThat(forecast.body().path("forecast").get(0).asDouble()).isBetween(-0.5, 0.5);

    Api.Response narrow =
        api.post(
            "/api/v1/models/" + modelId + "/forecast",
            Map.of("history", List.of(List.of(1.0, 2.0))));
    assertThat(narrow.status()).isEqualTo(400);
    assertThat(narrow.body().path("errors").get(0).path("field").asText()).isEqualTo("history[0]");
    Api.Response classify =
        api.post("/api/v1/models/" + modelId + "/classify", "{\"instances\":[[1.0]]}");
    assertThat(classify.status()).isEqualTo(400);
    assertThat(classify.raw()).contains("use /forecast");
  }
}
