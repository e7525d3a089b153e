package io.deeptrain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Playwright
 * (src/test/browser/dashboard.mjs). It submits an iris MLP from the form, watches the loss curve
 * appear and grow on the job page, draws a digit and has a Fashion-MNIST model classify it.
 *
 * <p>Needs /usr/bin/chromium, node and {@code npm ci --prefix src/test/browser}; without them the
 * test is skipped, unless DEEPTRAIN_BROWSER_TESTS=required (as in .ci/run), then it fails.
 * Screenshots go to target/browser, or to -Ddashboard.screenshots=docs/images (or the environment
 * variable DEEPTRAIN_SCREENSHOTS) for the README.
 */
@IntegrationTest
class DashboardBrowserIntegrationTests {

  static final Path SCRIPT = Path.of("src/test/browser/dashboard.mjs");
  static final Path PLAYWRIGHT = Path.of("src/test/browser/node_modules/playwright-core");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path FASHION =
      Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

  @LocalServerPort int port;

  /** In the test rather than @BeforeAll, so that a skip is reported as one, with its reason. */
  static void requireBrowser() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) {
      missing.add(CHROMIUM + " (apt-get install chromium)");
    }
    if (!Files.isDirectory(PLAYWRIGHT)) {
      missing.add(PLAYWRIGHT + " (npm ci --prefix src/test/browser)");
    }
    if (!onPath("node")) {
      missing.add("node on the PATH (apt-get install nodejs npm)");
    }
    if (!Files.exists(FASHION)) {
      missing.add(FASHION + " (apt-get install dataset-fashion-mnist)");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "browser test needs " + String.join(", ", missing);
    if ("required".equals(System.getenv("DEEPTRAIN_BROWSER_TESTS"))) {
      fail(message + "; DEEPTRAIN_BROWSER_TESTS=required");
    }
    System.err.println(message + "; skipped");
    Assumptions.abort(message + " — skipped (set DEEPTRAIN_BROWSER_TESTS=required to fail)");
  }

  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  static Path screenshotDir() {
    String dir =
        System.getProperty("dashboard.screenshots", System.getenv("DEEPTRAIN_SCREENSHOTS"));
    return Path.of(dir == null || dir.isBlank() ? "target/browser" : dir);
  }

  @Test
  void shouldSubmitAJobWatchItsCurveGrowAndClassifyADrawnDigit()
      throws IOException, InterruptedException {
    requireBrowser();
    Api api = new Api(port);
    // The model the draw page classifies with: Fashion-MNIST's input is one 28x28 channel.
    Api.Response submitted = api.post("/api/v1/jobs", Jobs.smallFashionCnn());
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    UUID cnn = UUID.fromString(submitted.body().path("id").asText());
    JsonNode trained =
        api.awaitJob(
            cnn,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(5));
    assertThat(trained.path("status").asText()).as("job %s", trained).isEqualTo("SUCCEEDED");
    String modelId = trained.path("modelId").asText();

    Path out = screenshotDir();
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve("dashboard-job.png"));
    Files.deleteIfExists(out.resolve("dashboard-draw.png"));
    Path log = Files.createTempFile("dashboard-browser", ".log");
    ProcessBuilder pb =
        new ProcessBuilder("node", SCRIPT.toString(), "http://localhost:" + port, out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("DRAW_MODEL", modelId);
    Process node = pb.start();
    boolean ended = node.waitFor(6, TimeUnit.MINUTES);
    if (!ended) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    System.out.println(output);
    assertThat(ended).as("the browser script ended within 6 minutes:%n%s", output).isTrue();
    assertThat(node.exitValue()).as(output).isZero();

    String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
    JsonNode result = JsonMapper.builder().build().readTree(line.substring("RESULT ".length()));
    JsonNode loss = result.path("lossPoints");
    assertThat(loss.path("grown").asInt()).isGreaterThan(loss.path("first").asInt());
    assertThat(loss.path("final").asInt()).isEqualTo(150);
    assertThat(result.path("lrPoints").asInt()).isEqualTo(150);
    assertThat(result.path("model").asText()).isEqualTo(modelId);

    List<String> labels = new ArrayList<>();
    api.get("/api/v1/models/" + modelId).body().path("labels").forEach(l -> labels.add(l.asText()));
    assertThat(result.path("prediction").asText()).isIn(labels);
    JsonNode probabilities = result.path("probabilities");
    assertThat(probabilities).hasSize(5);
    assertThat(probabilities.get(0).path("label").asText())
        .isEqualTo(result.path("prediction").asText());
    // The drawing reached the model as a 28x28 image with strokes on it, not a blank one.
    assertThat(result.path("ink").asInt()).isBetween(20, 400);

    // The iris job the page submitted really ran through the API.
    JsonNode job = api.get("/api/v1/jobs/" + result.path("jobId").asText()).body();
    assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.path("dataset").asText()).isEqualTo("iris");
    for (String shot : List.of("dashboard-job.png", "dashboard-draw.png")) {
      assertThat(Files.size(out.resolve(shot))).as(shot).isGreaterThan(10_000);
    }
  }
}
