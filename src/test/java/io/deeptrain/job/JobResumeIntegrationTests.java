package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue #4's "done when": a job whose replica dies mid-training, or that was cancelled and is
 * resumed, continues from its last checkpoint and ends as if it had never stopped.
 */
@IntegrationTest
class JobResumeIntegrationTests {

  static final int EPOCHS = 120;

  /** iris: 120 training rows in batches of 16. */
  static final int ITERATIONS_PER_EPOCH = 8;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  @Test
  void shouldResumeFromTheLastCheckpointWhenTheReplicaRunningItDies() {
    UUID id = submit(Jobs.irisMlp(EPOCHS));
    api.awaitJob(
        id, j -> j.path("progress").path("epochsDone").asInt() >= 10, Duration.ofMinutes(1));

    // The replica "dies": its heartbeats stop matching the job (and the run aborts as LOST,
    // writing nothing more), and the last heartbeat is long stale, so the reaper requeues it.
    int killed =
        jdbc.sql(
                """
                UPDATE jobs SET owner = 'dead-replica', heartbeat_at = now() - interval '1 hour'
                WHERE id = :id AND status = 'RUNNING'
                """)
            .param("id", id)
            .update();
    assertThat(killed).as("the job was still running when its replica died").isEqualTo(1);

    JsonNode done = api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));
    assertThat(done.path("attempt").asInt()).isEqualTo(2);
    assertThat(done.path("progress").path("epochsDone").asInt()).isEqualTo(EPOCHS);
    JsonNode resumedFrom = done.path("resumedFrom");
    assertThat(resumedFrom.isObject()).as("resumedFrom of %s", done).isTrue();
    assertThat(resumedFrom.path("epoch").asInt()).isBetween(9, EPOCHS - 1);
    assertThat(resumedFrom.path("iteration").asLong())
        .isGreaterThanOrEqualTo((long) resumedFrom.path("epoch").asInt() * ITERATIONS_PER_EPOCH);
    assertThat(transitions(id))
        .containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
    System.out.printf(
        "Job %s: replica died after epoch >= 10; attempt 2 resumed from %s%n", id, resumedFrom);

    Map<String, List<JsonNode>> series = series(id);
    assertContinuous(series, EPOCHS);
    assertThat(last(series, "test_accuracy")).isGreaterThanOrEqualTo(0.9);
    assertThat(checkpointCount(id)).as("a finished job keeps no checkpoints").isZero();

    // The resume is exact: the same job run without interruption gives the same numbers.
    UUID twin = submit(Jobs.irisMlp(EPOCHS));
    api.awaitStatus(twin, "SUCCEEDED", Duration.ofMinutes(2));
    Map<String, List<JsonNode>> twinSeries = series(twin);
    for (String name : List.of("loss", "test_accuracy", "test_loss", "train_loss")) {
      assertThat(values(series.get(name))).as(name).isEqualTo(values(twinSeries.get(name)));
    }
  }

  @Test
  void shouldResumeACancelledJobFromTheCheckpointItTookWhenCancelled() {
    UUID id = submit(Jobs.irisMlp(EPOCHS));
    api.awaitJob(
        id, j -> j.path("progress").path("epochsDone").asInt() >= 3, Duration.ofMinutes(1));
    Api.Response whileRunning = api.post("/api/v1/jobs/" + id + "/resume", "");
    assertThat(whileRunning.status()).isEqualTo(409);
    assertThat(whileRunning.body().path("type").asText()).endsWith("/wrong-state");
    assertThat(whileRunning.body().path("detail").asText()).contains("RUNNING");

    api.post("/api/v1/jobs/" + id + "/cancel", "");
    JsonNode cancelled = api.awaitStatus(id, "CANCELLED", Duration.ofSeconds(30));
    // The run checkpointed where it stopped, mid-epoch or not.
    Map<String, Object> newest =
        jdbc.sql(
                "SELECT epoch, iteration FROM checkpoints WHERE job_id = :id"
                    + " ORDER BY iteration DESC LIMIT 1")
            .param("id", id)
            .query()
            .singleRow();
    assertThat((Integer) newest.get("epoch"))
        .isEqualTo(cancelled.path("progress").path("epochsDone").asInt());

    Api.Response resumed = api.post("/api/v1/jobs/" + id + "/resume", "");
    assertThat(resumed.status()).isEqualTo(202);
    assertThat(resumed.body().path("status").asText()).isIn("QUEUED", "RUNNING");
    assertThat(resumed.body().path("error").isNull()).isTrue();
    assertThat(resumed.body().path("cancelRequested").asBoolean()).isFalse();
    assertThat(resumed.body().path("finishedAt").isNull()).isTrue();

    JsonNode done = api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));
    assertThat(done.path("attempt").asInt()).as("a fresh attempt budget").isEqualTo(1);
    assertThat(done.path("resumedFrom").path("iteration").asLong())
        .isEqualTo(((Number) newest.get("iteration")).longValue());
    assertThat(transitions(id))
        .containsExactly("QUEUED", "RUNNING", "CANCELLED", "QUEUED", "RUNNING", "SUCCEEDED");
    Map<String, List<JsonNode>> series = series(id);
    assertContinuous(series, EPOCHS);
    assertThat(last(series, "test_accuracy")).isGreaterThanOrEqualTo(0.9);

    Api.Response again = api.post("/api/v1/jobs/" + id + "/resume", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().path("detail").asText()).contains("SUCCEEDED");
    assertThat(api.post("/api/v1/jobs/" + UUID.randomUUID() + "/resume", "").status())
        .isEqualTo(404);
  }

  /** Every epoch series has steps 1..epochs once; the loss every 10th iteration, no gap. */
  private static void assertContinuous(Map<String, List<JsonNode>> series, int epochs) {
    for (String name : JobLifecycleIntegrationTests.EPOCH_METRICS) {
      assertThat(steps(series.get(name)))
          .as(name)
          .isEqualTo(LongStream.rangeClosed(1, epochs).boxed().toList());
    }
    long iterations = (long) epochs * ITERATIONS_PER_EPOCH;
    assertThat(steps(series.get("loss")))
        .as("loss")
        .isEqualTo(LongStream.rangeClosed(1, iterations / 10).map(i -> i * 10).boxed().toList());
  }

  private UUID submit(String json) {
    Api.Response r = api.post("/api/v1/jobs", json);
    assertThat(r.status()).isEqualTo(202);
    return UUID.fromString(r.body().path("id").asText());
  }

  private Map<String, List<JsonNode>> series(UUID id) {
    return IrisSeries.of(api, id).byName();
  }

  private static List<Long> steps(List<JsonNode> points) {
    assertThat(points).isNotNull();
    return points.stream().map(p -> p.path("step").asLong()).toList();
  }

  private static List<Double> values(List<JsonNode> points) {
    return points.stream().map(p -> p.path("value").asDouble()).toList();
  }

  private static double last(Map<String, List<JsonNode>> series, String name) {
    List<JsonNode> points = series.get(name);
    return points.get(points.size() - 1).path("value").asDouble();
  }

  private List<String> transitions(UUID id) {
    return jdbc.sql("SELECT to_status FROM job_transitions WHERE job_id = :id ORDER BY seq")
        .param("id", id)
        .query(String.class)
        .list();
  }

  private int checkpointCount(UUID id) {
    return jdbc.sql("SELECT count(*) FROM checkpoints WHERE job_id = :id")
        .param("id", id)
        .query(Integer.class)
        .single();
  }
}
