package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.Jobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** Issue #8's scheduling promises a user sees: timeouts and the queue limit. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "deeptrain.embedded-postgres.database=scheduling",
      "deeptrain.jobs.max-queued=5",
      "deeptrain.jobs.max-timeout=1h"
    })
@ActiveProfiles("test")
@Tag("integration")
class JobSchedulingIntegrationTests {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  @Test
  void shouldFailAJobPastItsTimeoutAtItsNextIterationKeepingItsCheckpoint() {
    String json = Jobs.irisMlp(5000).replaceFirst("\\{", "{\"timeout\":1,");
    Api.Response submitted = api.post("/api/v1/jobs", json);
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(202);
    assertThat(submitted.body().path("timeout").asInt()).isEqualTo(1);
    assertThat(submitted.body().path("submittedBy").isNull()).as("open mode: no key").isTrue();
    UUID id = UUID.fromString(submitted.body().path("id").asText());

    JsonNode failed = api.awaitStatus(id, "FAILED", Duration.ofSeconds(60));
    int done = failed.path("progress").path("epochsDone").asInt();
    assertThat(done).isLessThan(5000);
    assertThat(failed.path("error").asText())
        .startsWith(
            "stopped after the 1-second timeout at epoch " + (done + 1) + " of 5000 (" + done)
        .contains("checkpoint is kept")
        .endsWith("raise `timeout` or lower `training.epochs`");
    assertThat(failed.path("attempt").asInt()).as("a timeout is not retried").isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT count(*) FROM checkpoints WHERE job_id = :id")
                .param("id", id)
                .query(Integer.class)
                .single())
        .as("the checkpoint taken when it stopped")
        .isPositive();
  }

  @Test
  void shouldRejectATimeoutOutsideItsRangeNamingTheFieldAndTheRange() {
    for (long timeout : List.of(0L, -5L, 3601L)) {
      Api.Response r =
          api.post(
              "/api/v1/jobs", Jobs.irisMlp(2).replaceFirst("\\{", "{\"timeout\":" + timeout + ","));
      assertThat(r.status()).as(r.raw()).isEqualTo(400);
      List<String> fields = new ArrayList<>();
      r.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
      assertThat(fields).containsExactly("timeout");
      assertThat(r.raw()).contains("must be between 1 and 3600 seconds").contains("got " + timeout);
    }
  }

  @Test
  void shouldRefuseASubmissionBeyondMaxQueuedWith429AndRetryAfter() {
    UUID template =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(1)).body().path("id").asText());
    api.awaitStatus(template, "SUCCEEDED", Duration.ofSeconds(60));
    // Jobs waiting out a retry backoff: queued, but no dispatcher takes them meanwhile.
    List<UUID> fillers = new ArrayList<>();
    while (queued() < 5) {
      UUID filler = UUID.randomUUID();
      fillers.add(filler);
      jdbc.sql(
              """
              INSERT INTO jobs (id, name, status, priority, dataset, spec, training, attempt,
                                max_attempts, created_at, epochs_total, not_before)
              SELECT :filler, 'waiting', 'QUEUED', 0, dataset, spec, training, 1, 3, now(), 1,
                     now() + interval '1 hour'
              FROM jobs WHERE id = :template
              """)
          .param("filler", filler)
          .param("template", template)
          .update();
    }
    try {
      long before = total();
      Api.Response full = api.post("/api/v1/jobs", Jobs.irisMlp(1));
      assertThat(full.status()).as(full.raw()).isEqualTo(429);
      assertThat(full.body().path("type").asText()).endsWith("/queue-full");
      assertThat(full.body().path("detail").asText())
          .contains("deeptrain.jobs.max-queued")
          .contains("is 5");
      assertThat(full.headers().firstValue("Retry-After")).hasValue("30");
      assertThat(total()).as("nothing queued").isEqualTo(before);
      JsonNode waiting = api.get("/api/v1/jobs/" + fillers.get(0)).body();
      assertThat(waiting.path("nextAttemptAt").isNull()).isFalse();
    } finally {
      jdbc.sql("DELETE FROM jobs WHERE id IN (:ids)").param("ids", fillers).update();
    }
    assertThat(api.post("/api/v1/jobs", Jobs.irisMlp(1)).status()).isEqualTo(202);
  }

  private long queued() {
    return jdbc.sql("SELECT count(*) FROM jobs WHERE status = 'QUEUED'").query(Long.class).single();
  }

  private long total() {
    return jdbc.sql("SELECT count(*) FROM jobs").query(Long.class).single();
  }
}
