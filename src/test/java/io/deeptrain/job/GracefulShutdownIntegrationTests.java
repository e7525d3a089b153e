package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.DeeptrainApplication;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.Jobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas on one PostgreSQL: the one running a job is shut down (its context closed, as on
 * SIGTERM) mid-training; the job goes back to the queue with its checkpoint and without spending an
 * attempt, and the other replica finishes it with every metric step written once.
 */
@Tag("integration")
class GracefulShutdownIntegrationTests {

  static final int EPOCHS = 200;

  /** iris: 120 training rows in batches of 16. */
  static final int ITERATIONS_PER_EPOCH = 8;

  @Test
  void shouldHandARunningJobBackOnShutdownAndLetAnotherReplicaFinishIt() {
    UUID id;
    ConfigurableApplicationContext a = replica("replica-a");
    try {
      Api api = api(a);
      id =
          UUID.fromString(
              api.post("/api/v1/jobs", Jobs.irisMlp(EPOCHS)).body().path("id").asText());
      api.awaitJob(
          id, j -> j.path("progress").path("epochsDone").asInt() >= 5, Duration.ofMinutes(1));
    } finally {
      a.close();
    }

    ConfigurableApplicationContext b = replica("replica-b");
    try {
      JdbcClient jdbc = b.getBean(JdbcClient.class);
      Map<String, Object> handedBack =
          jdbc.sql("SELECT status, owner, attempt, epochs_done FROM jobs WHERE id = :id")
              .param("id", id)
              .query()
              .singleRow();
      // B may already have claimed it: the shape of the hand-back is in the transitions.
      List<Map<String, Object>> path =
          jdbc.sql("SELECT to_status, attempt FROM job_transitions WHERE job_id = :id ORDER BY seq")
              .param("id", id)
              .query()
              .listOfRows();
      assertThat(path.get(2).get("to_status")).as("%s", handedBack).isEqualTo("QUEUED");
      assertThat(path.get(2).get("attempt")).as("the attempt is not counted").isEqualTo(0);
      assertThat((Integer) handedBack.get("epochs_done")).isBetween(5, EPOCHS - 1);

      JsonNode done = api(b).awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));
      assertThat(done.path("attempt").asInt()).isEqualTo(1);
      assertThat(done.path("resumedFrom").path("epoch").asInt()).isBetween(5, EPOCHS - 1);
      assertThat(
              jdbc.sql("SELECT to_status FROM job_transitions WHERE job_id = :id ORDER BY seq")
                  .param("id", id)
                  .query(String.class)
                  .list())
          .containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
      assertThat(
              jdbc.sql(
                      "SELECT DISTINCT owner FROM job_transitions WHERE job_id = :id AND to_status = 'RUNNING'")
                  .param("id", id)
                  .query(String.class)
                  .list())
          .containsExactlyInAnyOrder("replica-a", "replica-b");

      JsonNode metrics = api(b).get("/api/v1/jobs/" + id + "/metrics").body();
      for (JsonNode s : metrics.path("series")) {
        String name = s.path("name").asText();
        List<Long> steps = new ArrayList<>();
        s.path("points").forEach(p -> steps.add(p.path("step").asLong()));
        if (JobLifecycleIntegrationTests.EPOCH_METRICS.contains(name)) {
          assertThat(steps).as(name).isEqualTo(LongStream.rangeClosed(1, EPOCHS).boxed().toList());
        } else if (name.equals("loss")) {
          long iterations = (long) EPOCHS * ITERATIONS_PER_EPOCH;
          assertThat(steps)
              .as(name)
              .isEqualTo(
                  LongStream.rangeClosed(1, iterations / 10).map(i -> i * 10).boxed().toList());
        }
      }
    } finally {
      b.close();
    }
  }

  private static ConfigurableApplicationContext replica(String name) {
    return new SpringApplicationBuilder(DeeptrainApplication.class)
        .profiles("test")
        .properties(
            "server.port=0",
            "deeptrain.embedded-postgres.database=graceful_shutdown",
            "deeptrain.jobs.replica-id=" + name)
        .run();
  }

  private static Api api(ConfigurableApplicationContext context) {
    return new Api(
        Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
  }
}
