package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class JobLifecycleIntegrationTests {

  static final List<String> EPOCH_METRICS =
      List.of(
          "train_loss",
          "train_accuracy",
          "test_loss",
          "test_accuracy",
          "learning_rate",
          "samples_per_second",
          "epoch_seconds");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  @Test
  void shouldTrainIrisMlpThroughTheQueueAndClassifyASetosa() {
    Api.Response submitted = api.post("/api/v1/jobs", Jobs.irisMlp(60));
    assertThat(submitted.status()).isEqualTo(202);
    UUID id = UUID.fromString(submitted.body().path("id").asText());
    assertThat(submitted.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + id);
    assertThat(submitted.body().path("status").asText()).isEqualTo("QUEUED");
    assertThat(submitted.body().path("training").path("epochs").asInt()).isEqualTo(60);

    JsonNode done =
        api.awaitJob(
            id,
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(2));
    assertThat(done.path("status").asText()).as("job %s", done).isEqualTo("SUCCEEDED");
    assertThat(done.path("progress").path("epochsDone").asInt()).isEqualTo(60);
    assertThat(done.path("stopReason").asText()).isEqualTo("completed all 60 epochs");
    assertThat(done.path("startedAt").isNull()).isFalse();
    assertThat(done.path("finishedAt").isNull()).isFalse();

    // The state machine's history, recorded by the database.
    List<String> path =
        jdbc.sql("SELECT to_status FROM job_transitions WHERE job_id = :id ORDER BY seq")
            .param("id", id)
            .query(String.class)
            .list();
    assertThat(path).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    // Points carry the instant they were recorded, whatever the JVM's time zone.
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM metric_points p JOIN jobs j ON j.id = p.job_id"
                        + " WHERE p.job_id = :id"
                        + " AND p.recorded_at NOT BETWEEN j.started_at AND j.finished_at")
                .param("id", id)
                .query(Long.class)
                .single())
        .isZero();

    // One point per epoch per metric, and the accuracy the README promises.
    JsonNode metrics = api.get("/api/v1/jobs/" + id + "/metrics").body();
    Map<String, JsonNode> series = new java.util.HashMap<>();
    metrics.path("series").forEach(s -> series.put(s.path("name").asText(), s));
    for (String name : EPOCH_METRICS) {
      JsonNode s = series.get(name);
      assertThat(s).as(name).isNotNull();
      assertThat(s.path("points").size()).as(name).isEqualTo(60);
      List<Long> steps = new ArrayList<>();
      s.path("points").forEach(p -> steps.add(p.path("step").asLong()));
      assertThat(steps)
          .as(name)
          .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 60).boxed().toList());
    }
    assertThat(series).containsKey("loss");
    JsonNode accuracy = series.get("test_accuracy").path("points");
    assertThat(accuracy.get(59).path("value").asDouble()).isGreaterThanOrEqualTo(0.93);

    // Downsampled and incremental reads.
    JsonNode small = api.get("/api/v1/jobs/" + id + "/metrics?name=test_loss&maxPoints=8").body();
    assertThat(small.path("series")).hasSize(1);
    assertThat(small.path("series").get(0).path("downsampled").asBoolean()).isTrue();
    assertThat(small.path("series").get(0).path("points").size()).isLessThanOrEqualTo(8);
    JsonNode tail = api.get("/api/v1/jobs/" + id + "/metrics?name=test_loss&sinceStep=55").body();
    assertThat(tail.path("series").get(0).path("points").size()).isEqualTo(5);

    // The model: registered, downloadable, and it knows a setosa.
    String modelId = done.path("modelId").asText();
    JsonNode model = api.get("/api/v1/models/" + modelId).body();
    assertThat(model.path("labels").toString())
        .isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
    assertThat(model.path("inputShape").toString()).isEqualTo("[4]");
    assertThat(model.path("metrics").path("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.93);
    assertThat(model.path("normalization").path("mean").size()).isEqualTo(4);

    byte[] zip = api.getBytes("/api/v1/models/" + modelId + "/artifact");
    assertThat(zipEntries(zip)).contains("configuration.json", "coefficients.bin");

    Api.Response classified =
        api.post(
            "/api/v1/models/" + modelId + "/classify",
            "{\"instances\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}");
    assertThat(classified.status()).isEqualTo(200);
    JsonNode predictions = classified.body().path("predictions");
    assertThat(predictions.get(0).path("label").asText()).isEqualTo("setosa");
    assertThat(predictions.get(0).path("probability").asDouble()).isGreaterThan(0.8);
    assertThat(predictions.get(1).path("label").asText()).isEqualTo("virginica");
    double sum = 0;
    for (JsonNode p : predictions.get(0).path("probabilities")) {
      sum += p.asDouble();
    }
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));

    Api.Response withEmptyLists =
        api.post(
            "/api/v1/models/" + modelId + "/classify",
            "{\"instances\":[[5.1,3.5,1.4,0.2]],\"images\":[],\"sequences\":[]}");
    assertThat(withEmptyLists.status())
        .as("empty lists, as generated clients send them, count as absent")
        .isEqualTo(200);
    assertThat(withEmptyLists.body().path("predictions").get(0).path("label").asText())
        .isEqualTo("setosa");
    Api.Response nothing =
        api.post("/api/v1/models/" + modelId + "/classify", "{\"instances\":[],\"images\":[]}");
    assertThat(nothing.status()).isEqualTo(400);
    assertThat(nothing.body().path("errors").get(0).path("field").asText()).isEqualTo("instances");

    Api.Response wrongWidth =
        api.post("/api/v1/models/" + modelId + "/classify", "{\"instances\":[[5.1,3.5,1.4]]}");
    assertThat(wrongWidth.status()).isEqualTo(400);
    assertThat(wrongWidth.body().path("errors").get(0).path("field").asText())
        .isEqualTo("instances[0]");
    assertThat(wrongWidth.body().path("errors").get(0).path("message").asText())
        .contains("4 features, got 3");

    // The confusion matrix of the test split agrees with the final test accuracy.
    JsonNode confusion = api.get("/api/v1/models/" + modelId + "/confusion").body();
    assertThat(confusion.path("total").asInt()).isEqualTo(30);
    assertThat(confusion.path("accuracy").asDouble())
        .isCloseTo(
            model.path("metrics").path("test_accuracy").asDouble(),
            org.assertj.core.data.Offset.offset(1e-9));
    assertThat(confusion.path("classes").get(0).path("support").asInt()).isEqualTo(10);
    byte[] heatMap = api.getBytes("/api/v1/models/" + modelId + "/confusion.png");
    assertThat(decodePng(heatMap).getWidth()).isGreaterThan(100);

    // Finished jobs cannot be cancelled.
    Api.Response cancel = api.post("/api/v1/jobs/" + id + "/cancel", "");
    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.body().path("type").asText()).endsWith("/wrong-state");
  }

  @Test
  void shouldStopARunningJobWithinOneEpochWhenCancelled() {
    UUID id =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.slowWineMlp(500)).body().path("id").asText());
    api.awaitJob(
        id, j -> j.path("progress").path("epochsDone").asInt() >= 1, Duration.ofMinutes(1));

    Api.Response cancel = api.post("/api/v1/jobs/" + id + "/cancel", "");
    assertThat(cancel.status()).isEqualTo(202);
    int epochsAtCancel = cancel.body().path("progress").path("epochsDone").asInt();

    JsonNode done = api.awaitStatus(id, "CANCELLED", Duration.ofSeconds(30));
    assertThat(done.path("error").asText()).isEqualTo("cancelled by request");
    assertThat(done.path("progress").path("epochsDone").asInt())
        .isLessThanOrEqualTo(epochsAtCancel + 1);
    int points =
        jdbc.sql("SELECT count(*) FROM metric_points WHERE job_id = :id AND name = 'test_accuracy'")
            .param("id", id)
            .query(Integer.class)
            .single();
    assertThat(points).isLessThanOrEqualTo(epochsAtCancel + 1);
    assertThat(done.path("modelId").isNull()).isTrue();
  }

  @Test
  void shouldCancelAQueuedJobAtOnce() {
    // Lowest priority behind a long job that holds the only worker.
    UUID blocker =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.slowWineMlp(500)).body().path("id").asText());
    api.awaitStatus(blocker, "RUNNING", Duration.ofSeconds(30));
    String queuedJson =
        Jobs.irisMlp(5).replace("\"name\":\"iris-mlp\"", "\"name\":\"waiting\",\"priority\":-5");
    UUID queued = UUID.fromString(api.post("/api/v1/jobs", queuedJson).body().path("id").asText());

    Api.Response cancel = api.post("/api/v1/jobs/" + queued + "/cancel", "");
    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.body().path("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancel.body().path("startedAt").isNull()).isTrue();

    api.post("/api/v1/jobs/" + blocker + "/cancel", "");
    api.awaitStatus(blocker, "CANCELLED", Duration.ofSeconds(30));
  }

  @Test
  void shouldRequeueAJobWhoseReplicaStoppedHeartbeatingAndFinishIt() {
    UUID id = UUID.randomUUID();
    insertRunningJobOwnedByADeadReplica(id, 1, 3);

    JsonNode done = api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(1));
    assertThat(done.path("attempt").asInt()).isEqualTo(2);
    List<String> path =
        jdbc.sql("SELECT to_status FROM job_transitions WHERE job_id = :id ORDER BY seq")
            .param("id", id)
            .query(String.class)
            .list();
    assertThat(path).containsExactly("RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
  }

  @Test
  void shouldFailAJobWhoseReplicaDiedOnItsLastAttempt() {
    UUID id = UUID.randomUUID();
    insertRunningJobOwnedByADeadReplica(id, 3, 3);

    JsonNode done = api.awaitStatus(id, "FAILED", Duration.ofSeconds(30));
    assertThat(done.path("error").asText())
        .contains("gave up after 3 attempts")
        .contains("dead-replica");
  }

  @Test
  void shouldListJobsNewestFirstAndFilterByStatus() {
    UUID first =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(2)).body().path("id").asText());
    UUID second =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(2)).body().path("id").asText());
    api.awaitStatus(second, "SUCCEEDED", Duration.ofMinutes(1));
    api.awaitStatus(first, "SUCCEEDED", Duration.ofMinutes(1));

    JsonNode page = api.get("/api/v1/jobs?status=SUCCEEDED&size=2").body();
    assertThat(page.path("items").get(0).path("id").asText()).isEqualTo(second.toString());
    assertThat(page.path("items").get(1).path("id").asText()).isEqualTo(first.toString());
    assertThat(page.path("total").asLong()).isGreaterThanOrEqualTo(2);
    page.path("items").forEach(j -> assertThat(j.path("status").asText()).isEqualTo("SUCCEEDED"));

    Api.Response bad = api.get("/api/v1/jobs?status=DONE");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().path("errors").get(0).path("field").asText()).isEqualTo("status");
    assertThat(bad.body().path("errors").get(0).path("message").asText())
        .contains("QUEUED, RUNNING");
  }

  @Test
  void shouldFailADivergingJobWithAReasonAndKeepTheWorkerForTheNextJob() {
    String diverging =
        """
        {"name":"too-fast","dataset":"wine",
         "spec":{"type":"MLP","layers":[{"units":256,"activation":"RELU"},{"units":256,"activation":"RELU"}]},
         "training":{"epochs":20,"batchSize":4,"optimizer":"SGD","learningRate":10,"seed":1}}""";
    UUID bad = UUID.fromString(api.post("/api/v1/jobs", diverging).body().path("id").asText());
    JsonNode failed = api.awaitStatus(bad, "FAILED", Duration.ofMinutes(1));
    assertThat(failed.path("error").asText())
        .contains("diverged")
        .contains("epoch 1")
        .contains("smaller learning rate");
    assertThat(failed.path("modelId").isNull()).isTrue();

    UUID next =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(3)).body().path("id").asText());
    api.awaitStatus(next, "SUCCEEDED", Duration.ofMinutes(1));
  }

  @Test
  void shouldLeaveTheRunningJobOfALiveReplicaAlone() {
    UUID id = UUID.randomUUID();
    insertRunningJobOwnedBy(id, "live-replica", 1, 3, "now()");
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < until) {
      // The other replica keeps beating, as a live one does.
      jdbc.sql("UPDATE jobs SET heartbeat_at = now() WHERE id = :id").param("id", id).update();
      Api.sleep(300);
    }
    JsonNode job = api.get("/api/v1/jobs/" + id).body();
    assertThat(job.path("status").asText()).isEqualTo("RUNNING");
    assertThat(job.path("attempt").asInt()).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT owner FROM jobs WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single())
        .isEqualTo("live-replica");
    jdbc.sql("DELETE FROM jobs WHERE id = :id").param("id", id).update();
  }

  private void insertRunningJobOwnedByADeadReplica(UUID id, int attempt, int maxAttempts) {
    insertRunningJobOwnedBy(id, "dead-replica", attempt, maxAttempts, "now() - interval '1 hour'");
  }

  private void insertRunningJobOwnedBy(
      UUID id, String owner, int attempt, int maxAttempts, String heartbeat) {
    jdbc.sql(
            """
            INSERT INTO jobs (id, name, status, priority, dataset, spec, training, attempt, max_attempts,
                              owner, heartbeat_at, started_at, epochs_total)
            VALUES (:id, 'orphan', 'RUNNING', 100, 'iris',
                    '{"type":"MLP","layers":[{"units":8,"activation":"RELU"}]}'::jsonb,
                    '{"epochs":3,"batchSize":16,"optimizer":"ADAM","learningRate":0.01,"seed":1}'::jsonb,
                    :attempt, :max, :owner, HEARTBEAT, now() - interval '1 hour', 3)
            """
                .replace("HEARTBEAT", heartbeat))
        .param("id", id)
        .param("owner", owner)
        .param("attempt", attempt)
        .param("max", maxAttempts)
        .update();
  }

  private static java.awt.image.BufferedImage decodePng(byte[] png) {
    try {
      java.awt.image.BufferedImage image =
          javax.imageio.ImageIO.read(new ByteArrayInputStream(png));
      assertThat(image).as("a decodable PNG").isNotNull();
      return image;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> zipEntries(byte[] zip) {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return names;
  }
}
