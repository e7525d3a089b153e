package io.deeptrain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The dashboard's static assets, and its job templates as the API judges them. */
@IntegrationTest
class DashboardIntegrationTests {

  @LocalServerPort int port;

  @Test
  void shouldServeThePageAndItsModulesAtTheRoot() {
    Api api = new Api(port);
    HttpResponse<byte[]> index = api.getRaw("/");
    assertThat(index.statusCode()).isEqualTo(200);
    String html = new String(index.body(), StandardCharsets.UTF_8);
    assertThat(html).contains("<main id=\"app\"", "js/app.js", "app.css");
    // Offline: nothing is fetched from another host.
    assertThat(html).doesNotContain("http://", "https://");
    for (String module :
        List.of("app", "api", "chart", "jobs", "job", "submit", "models", "draw")) {
      HttpResponse<byte[]> js = api.getRaw("/js/" + module + ".js");
      assertThat(js.statusCode()).as(module).isEqualTo(200);
      assertThat(js.headers().firstValue("Content-Type").orElse("")).contains("javascript");
      assertThat(new String(js.body(), StandardCharsets.UTF_8)).doesNotContain("https://");
    }
  }

  @Test
  void shouldAcceptEveryTemplateOfTheSubmitForm() {
    assumeThat(
            Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
        .as("Debian's dataset-fashion-mnist (.ci/run installs it)")
        .isTrue();
    Api api = new Api(port);
    JsonNode templates = api.get("/templates.json").body();
    List<String> titles = new ArrayList<>();
    templates.forEach(t -> titles.add(t.path("title").asText()));
    assertThat(titles)
        .hasSize(6)
        .anyMatch(t -> t.contains("Iris MLP"))
        .anyMatch(t -> t.contains("CNN"))
        .anyMatch(t -> t.contains("LSTM"))
        .anyMatch(t -> t.contains("VAE"))
        .anyMatch(t -> t.contains("GAN"))
        .anyMatch(t -> t.contains("Diffusion"));

    List<UUID> queued = new ArrayList<>();
    for (JsonNode t : templates) {
      Api.Response r = api.post("/api/v1/jobs", t.path("request").toString());
      assertThat(r.status()).as("%s: %s", t.path("id").asText(), r.raw()).isEqualTo(202);
      UUID id = UUID.fromString(r.body().path("id").asText());
      queued.add(id);
      // Cancelled at once, so no template trains here.
      assertThat(api.post("/api/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(202);
    }
    for (UUID id : queued) {
      api.awaitStatus(id, "CANCELLED", Duration.ofMinutes(2));
    }
  }
}
