package io.deeptrain.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class SweepIntegrationTests {

  /** The optimizers the grid compares: Adam against the adaptive SGD-G2. */
  static final List<String> OPTIMIZERS = List.of("ADAM", "SGD_G2");

  static final List<Double> LEARNING_RATES = List.of(0.001, 0.01, 0.05, 0.1);

  static final String IRIS_BASE =
      """
      {"name":"iris-sweep","dataset":"iris",
       "spec":{"type":"MLP","layers":[{"units":16,"activation":"RELU"},{"units":16,"activation":"RELU"}]},
       "training":{"epochs":15,"batchSize":16,"seed":2}}""";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  @Test
  void shouldRunAGridTwoTrialsAtATimeAndRankThemByTestAccuracy() {
    String body =
        """
        {"base": %s,
         "parameters": {"training.learningRate": {"values": %s},
                        "training.optimizer": {"values": ["%s"]}},
         "search": "GRID", "maxParallel": 2,
         "objective": {"metric": "test_accuracy", "mode": "MAX"}}"""
            .formatted(IRIS_BASE, LEARNING_RATES, String.join("\", \"", OPTIMIZERS));

    Api.Response created = api.post("/api/v1/sweeps", body);

    assertThat(created.status()).as(created.raw()).isEqualTo(202);
    UUID id = UUID.fromString(created.body().path("id").asText());
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/sweeps/" + id);
    assertThat(created.body().path("status").asText()).isEqualTo("RUNNING");
    assertThat(created.body().path("name").asText()).isEqualTo("iris-sweep");
    assertThat(created.body().path("progress").toString())
        .isEqualTo("{\"total\":8,\"pending\":6,\"active\":2,\"finished\":0}");

    JsonNode done = awaitSweep(id, "SUCCEEDED", Duration.ofMinutes(4));

    JsonNode board = done.path("leaderboard");
    assertThat(board).hasSize(8);
    List<Double> values = new ArrayList<>();
    Set<String> combinations = new HashSet<>();
    for (JsonNode trial : board) {
      assertThat(trial.path("status").asText()).as(trial.toString()).isEqualTo("SUCCEEDED");
      double objective = trial.path("objective").asDouble();
      values.add(objective);
      // The trial's parameters are the ones its job trained with...
      JsonNode job = api.get("/api/v1/jobs/" + trial.path("jobId").asText()).body();
      double lr = trial.path("parameters").path("training.learningRate").asDouble();
      String optimizer = trial.path("parameters").path("training.optimizer").asText();
      assertThat(job.path("training").path("learningRate").asDouble()).isEqualTo(lr);
      assertThat(job.path("training").path("optimizer").asText()).isEqualTo(optimizer);
      assertThat(job.path("training").path("epochs").asInt()).isEqualTo(15);
      assertThat(job.path("name").asText()).isEqualTo("iris-sweep-" + trial.path("trial").asInt());
      assertThat(job.path("modelId").asText()).isEqualTo(trial.path("modelId").asText());
      combinations.add(lr + "/" + optimizer);
      // ...and its objective is the job's last recorded test accuracy.
      JsonNode points =
          api.get("/api/v1/jobs/" + job.path("id").asText() + "/metrics?name=test_accuracy")
              .body()
              .path("series")
              .get(0)
              .path("points");
      assertThat(points).hasSize(15);
      assertThat(points.get(14).path("value").asDouble()).isEqualTo(objective);
      if (optimizer.equals("SGD_G2")) {
        // SGD-G2 adapts its step: its trajectory is a series of its own.
        JsonNode steps =
            api.get("/api/v1/jobs/" + job.path("id").asText() + "/metrics?name=learning_rate_step")
                .body()
                .path("series");
        assertThat(steps).as("learning_rate_step of %s", job.path("id")).hasSize(1);
        assertThat(steps.get(0).path("points").size()).isGreaterThan(5);
      }
    }
    assertThat(combinations).hasSize(8);
    assertThat(values).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(done.path("best").path("trial").asInt())
        .isEqualTo(board.get(0).path("trial").asInt());
    assertThat(done.path("best").path("objective").asDouble()).isGreaterThanOrEqualTo(0.9);

    assertThat(maxActiveAtOnce(id)).isEqualTo(2);

    JsonNode listed = api.get("/api/v1/sweeps?size=100").body();
    JsonNode mine = null;
    for (JsonNode s : listed.path("items")) {
      if (s.path("id").asText().equals(id.toString())) {
        mine = s;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(mine.path("best").path("jobId").asText())
        .isEqualTo(board.get(0).path("jobId").asText());

    Api.Response again = api.post("/api/v1/sweeps/" + id + "/cancel", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().path("type").asText()).endsWith("/wrong-state");
  }

  @Test
  void shouldCancelQueuedAndRunningChildrenAndNeverStartPendingTrials() {
    String body =
        """
        {"name": "slow-sweep",
         "base": {"dataset":"wine",
                  "spec":{"type":"MLP","layers":[{"units":64,"activation":"TANH"},{"units":64,"activation":"TANH"}]},
                  "training":{"epochs":500,"batchSize":1,"optimizer":"SGD","seed":7}},
         "parameters": {"training.learningRate": {"values": [0.001, 0.002, 0.003, 0.004, 0.005]}},
         "maxParallel": 2}""";
    UUID id = UUID.fromString(api.post("/api/v1/sweeps", body).body().path("id").asText());
    awaitTrial(id, t -> "RUNNING".equals(t.path("status").asText()), Duration.ofMinutes(1));

    Api.Response cancelled = api.post("/api/v1/sweeps/" + id + "/cancel", "");

    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.body().path("status").asText()).isEqualTo("CANCELLED");
    List<String> neverStarted = new ArrayList<>();
    for (JsonNode t : cancelled.body().path("leaderboard")) {
      if (t.path("jobId").isNull()) {
        assertThat(t.path("status").asText()).isEqualTo("CANCELLED");
        neverStarted.add(t.path("trial").asText());
      } else {
        // Queued children are cancelled at once; a running one stops at its next iteration.
        assertThat(t.path("status").asText()).isIn("CANCELLED", "RUNNING");
      }
    }
    assertThat(neverStarted).hasSize(3);

    for (JsonNode t : cancelled.body().path("leaderboard")) {
      if (!t.path("jobId").isNull()) {
        api.awaitStatus(
            UUID.fromString(t.path("jobId").asText()), "CANCELLED", Duration.ofSeconds(30));
      }
    }
    Api.sleep(1500); // several release polls: none may start a pending trial
    JsonNode after = api.get("/api/v1/sweeps/" + id).body();
    assertThat(after.path("status").asText()).isEqualTo("CANCELLED");
    assertThat(after.path("progress").toString())
        .isEqualTo("{\"total\":5,\"pending\":0,\"active\":0,\"finished\":5}");
    int children =
        jdbc.sql("SELECT count(job_id) FROM sweep_trials WHERE sweep_id = :id")
            .param("id", id)
            .query(Integer.class)
            .single();
    assertThat(children).isEqualTo(2);

    assertThat(api.post("/api/v1/sweeps/" + id + "/cancel", "").status()).isEqualTo(409);
  }

  @Test
  void shouldRefuseABadSweepNamingTheParameterValueOrTheBaseField() {
    long sweepsBefore = countSweeps();

    assertViolation(
        sweep("\"training.learningRate\": {\"values\": [0.001, 0.01, 20]}", ""),
        400,
        "parameters['training.learningRate'].values[2]",
        "<= 10");
    assertViolation(
        sweep("\"training.optimizer\": {\"values\": [\"ADAM\", \"FOO\"]}", ""),
        400,
        "parameters['training.optimizer'].values[1]",
        "unknown value 'FOO'");
    assertViolation(
        sweep("\"training.learnignRate\": {\"values\": [0.1]}", ""),
        400,
        "parameters['training.learnignRate']",
        "is not a known field");
    assertViolation(
        sweep("\"spec.layers[5].units\": {\"values\": [8]}", ""),
        400,
        "parameters['spec.layers[5].units']",
        "spec.layers has 2 elements");
    assertViolation(
        sweep("\"training.learningRate\": {\"values\": [0.1]}", "")
            .replace("\"units\":16,", "\"units\":0,"),
        400,
        "base.spec.layers[0].units",
        "between 1 and");
    assertViolation(
        sweep("\"training.learningRate\": {\"min\": 0.0001, \"max\": 0.1, \"scale\": \"LOG\"}", ""),
        400,
        "parameters['training.learningRate']",
        "needs RANDOM search");
    assertViolation(
        sweep(
            "\"training.l2\": {\"values\": [0, 0.01]}",
            ", \"search\": \"RANDOM\", \"trials\": 300"),
        400,
        "trials",
        "1 to 256");
    assertViolation(
        sweep(
            "\"training.batchSize\": {\"values\": %s}, \"training.l2\": {\"values\": %s}"
                .formatted(range(1, 20), range(1, 20)),
            ""),
        400,
        "parameters",
        "400 combinations; at most 256");
    // Any field is a parameter, and a spec that cannot run on the dataset is a 422.
    assertViolation(
        sweep(
            "\"spec\": {\"values\": [{\"type\":\"MLP\",\"layers\":[{\"units\":4}]},"
                + " {\"type\":\"CNN\",\"layers\":[{\"type\":\"CONV2D\",\"filters\":4,\"kernelSize\":3}]}]}",
            ""),
        422,
        "parameters['spec'].values[1]",
        "");
    assertViolation(
        sweep("\"training.l2\": {\"values\": [0]}", ", \"maxParalel\": 2"),
        400,
        "maxParalel",
        "is not a known field");

    assertThat(countSweeps()).isEqualTo(sweepsBefore);
    assertThat(api.get("/api/v1/sweeps/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  private void assertViolation(String body, int status, String field, String message) {
    Api.Response r = api.post("/api/v1/sweeps", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(status);
    assertThat(r.body().path("errors").toString()).as(r.raw()).contains(field);
    boolean found = false;
    for (JsonNode e : r.body().path("errors")) {
      found |=
          e.path("field").asText().equals(field) && e.path("message").asText().contains(message);
    }
    assertThat(found).as(r.raw()).isTrue();
  }

  private static String sweep(String parameters, String more) {
    return "{\"base\": %s, \"parameters\": {%s}%s}".formatted(IRIS_BASE, parameters, more);
  }

  private static String range(int from, int to) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = from; i <= to; i++) {
      sb.append(i == from ? "" : ",").append(i);
    }
    return sb.append(']').toString();
  }

  private long countSweeps() {
    return jdbc.sql("SELECT count(*) FROM sweeps").query(Long.class).single();
  }

  /**
   * The most children queued or running at the same moment, from the database's own record of every
   * status change: +1 when a child is queued, -1 when it finishes.
   */
  private int maxActiveAtOnce(UUID sweepId) {
    record Event(Timestamp at, int delta) {}
    List<Event> events =
        jdbc.sql(
                """
                SELECT tr.at, CASE WHEN tr.from_status IS NULL THEN 1 ELSE -1 END AS delta
                FROM job_transitions tr JOIN sweep_trials t ON t.job_id = tr.job_id
                WHERE t.sweep_id = :id
                  AND (tr.from_status IS NULL OR tr.to_status IN ('SUCCEEDED', 'FAILED', 'CANCELLED'))
                ORDER BY tr.at, delta DESC
                """)
            .param("id", sweepId)
            .query((rs, n) -> new Event(rs.getTimestamp("at"), rs.getInt("delta")))
            .list();
    assertThat(events).hasSize(16);
    int active = 0;
    int max = 0;
    for (Event e : events) {
      active += e.delta();
      max = Math.max(max, active);
    }
    return max;
  }

  private JsonNode awaitSweep(UUID id, String status, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = api.get("/api/v1/sweeps/" + id).body();
      if (status.equals(last.path("status").asText())) {
        return last;
      }
      Api.sleep(200);
    }
    throw new AssertionError("sweep " + id + " did not become " + status + "; last: " + last);
  }

  private void awaitTrial(UUID id, java.util.function.Predicate<JsonNode> any, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode t : api.get("/api/v1/sweeps/" + id).body().path("leaderboard")) {
        if (any.test(t)) {
          return;
        }
      }
      Api.sleep(100);
    }
    throw new AssertionError("no trial of sweep " + id + " got there in " + timeout);
  }
}
