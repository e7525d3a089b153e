package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** What an operator sees: devices, Prometheus series, and job ids in the logs. */
@IntegrationTest
class ObservabilityIntegrationTests {

  @LocalServerPort int port;

  @Value("${logging.pattern.level}")
  String levelPattern;

  Api api;
  ListAppender<ILoggingEvent> logs;
  Logger root;

  @BeforeEach
  void setUp() {
    api = new Api(port);
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    root.detachAppender(logs);
  }

  @Test
  void shouldExposeEverySeriesAfterAJobAndAClassification() {
    UUID id = trainIris();
    JsonNode job = api.get("/api/v1/jobs/" + id).body();
    JsonNode model = api.get("/api/v1/models/" + job.path("modelId").asText()).body();
    Api.Response classified =
        api.post(
            "/api/v1/models/" + model.path("id").asText() + "/classify",
            "{\"instances\":[[5.1,3.5,1.4,0.2]]}");
    assertThat(classified.status()).isEqualTo(200);
    Api.Response inferred =
        api.post(
            "/v2/models/iris-mlp/versions/" + model.path("version").asInt() + "/infer",
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                + "\"data\":[5.1,3.5,1.4,0.2]}]}");
    assertThat(inferred.status()).isEqualTo(200);

    var scrape = api.getRaw("/actuator/prometheus");
    assertThat(scrape.statusCode()).isEqualTo(200);
    List<String> lines =
        new String(scrape.body(), StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.startsWith("#"))
            .toList();

    assertThat(series(lines, "deeptrain_jobs_queue{", "status=\"SUCCEEDED\"")).isNotEmpty();
    assertThat(series(lines, "deeptrain_jobs_queue{", "status=\"QUEUED\"")).isNotEmpty();
    assertThat(series(lines, "deeptrain_jobs_completed_total{", "result=\"SUCCEEDED\""))
        .isNotEmpty();
    assertThat(series(lines, "deeptrain_jobs_duration_seconds_count{", "result=\"SUCCEEDED\""))
        .isNotEmpty();
    assertThat(series(lines, "deeptrain_training_samples_per_second_count{", "family=\"MLP\""))
        .isNotEmpty();
    assertThat(
            series(
                lines,
                "deeptrain_inference_latency_seconds_bucket{",
                "model=\"iris-mlp\"",
                "version=\"" + model.path("version").asInt() + "\"",
                "operation=\"classify\""))
        .as("a histogram, in buckets")
        .hasSizeGreaterThan(1);
    assertThat(
            series(
                lines,
                "deeptrain_inference_latency_seconds_bucket{",
                "model=\"iris-mlp\"",
                "operation=\"infer\""))
        .as("Open Inference Protocol calls are timed too")
        .hasSizeGreaterThan(1);
    assertThat(series(lines, "deeptrain_nd4j_offheap_bytes ")).hasSize(1);
    assertThat(series(lines, "deeptrain_process_resident_max_bytes ")).hasSize(1);
    assertThat(value(series(lines, "deeptrain_process_resident_bytes ").get(0)))
        .as("heap, DL4J's native libraries and tensors: far above 50 MB")
        .isGreaterThan(50e6);
    assertThat(
            series(
                lines,
                "deeptrain_device_memory_bytes{",
                "device=\"0\"",
                "kind=\"CPU\"",
                "state=\"total\""))
        .hasSize(1);
    assertThat(series(lines, "deeptrain_device_memory_bytes{", "state=\"free\"")).hasSize(1);
  }

  @Test
  void shouldListTheMachineAsTheOneCpuDeviceWithItsWorkers() {
    JsonNode devices = api.get("/api/v1/devices").body();

    assertThat(devices.path("backend").asText()).isEqualTo("CPU");
    assertThat(devices.path("devices")).hasSize(1);
    JsonNode machine = devices.path("devices").get(0);
    assertThat(machine.path("kind").asText()).isEqualTo("CPU");
    assertThat(machine.path("memoryTotal").asLong()).isPositive();
    assertThat(machine.path("memoryFree").asLong())
        .isBetween(0L, machine.path("memoryTotal").asLong());
    assertThat(machine.path("workers")).hasSize(1);
    assertThat(machine.path("worker").asInt()).isZero();
  }

  @Test
  void shouldRefuseAGpuJobOnThisCpuDeploymentAtSubmit() {
    String gpuJob = Jobs.irisMlp(1).replaceFirst("\\{", "{\"device\":\"GPU\",");

    Api.Response refused = api.post("/api/v1/jobs", gpuJob);

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().path("errors").get(0).path("field").asText()).isEqualTo("device");
    assertThat(refused.body().path("errors").get(0).path("message").asText())
        .contains("trains on CPU only");
  }

  @Test
  void shouldTagEveryLogLineOfAJobRunWithItsId() {
    UUID id = trainIris();

    List<ILoggingEvent> workerLines =
        logs.list.stream()
            .filter(e -> e.getThreadName().startsWith("deeptrain-worker-"))
            .filter(e -> e.getFormattedMessage().contains(id.toString()))
            .toList();
    assertThat(workerLines).as("the run's own lines").hasSizeGreaterThanOrEqualTo(2);
    assertThat(workerLines)
        .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("job_id", id.toString()));
    assertThat(workerLines)
        .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("job_name", "iris-mlp"));

    // The configured pattern prints it, and prints nothing for lines outside a job.
    PatternLayout layout = new PatternLayout();
    layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    layout.setPattern(levelPattern + " %m");
    layout.start();
    assertThat(layout.doLayout(workerLines.get(0))).contains("[job_id=" + id + "]");
    ILoggingEvent outside =
        new ch.qos.logback.classic.spi.LoggingEvent(
            getClass().getName(), root, ch.qos.logback.classic.Level.INFO, "outside", null, null);
    assertThat(layout.doLayout(outside)).doesNotContain("job_id");
  }

  private UUID trainIris() {
    Api.Response submitted = api.post("/api/v1/jobs", Jobs.irisMlp(3));
    assertThat(submitted.status()).isEqualTo(202);
    UUID id = UUID.fromString(submitted.body().path("id").asText());
    JsonNode done =
        api.awaitJob(
            id,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(2));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    return id;
  }

  private static List<String> series(List<String> lines, String name, String... tags) {
    return lines.stream()
        .filter(l -> l.startsWith(name))
        .filter(l -> List.of(tags).stream().allMatch(l::contains))
        .toList();
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
