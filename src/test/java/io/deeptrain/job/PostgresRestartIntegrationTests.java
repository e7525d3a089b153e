package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.DeeptrainApplication;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.Jobs;
import io.deeptrain.fixtures.RestartablePostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue #8's proof: PostgreSQL restarted while a job trains. The job finishes with every metric
 * point; if the outage outlasts the metric buffer's bound, the job fails with that reason instead
 * of dropping points, and the worker goes on to the next job.
 *
 * <p>The test has a PostgreSQL of its own (the suite's shared one must stay up), stopped and
 * started again on the same port and data directory.
 */
@Tag("integration")
class PostgresRestartIntegrationTests {

  static final int EPOCHS = 150;

  /**
   * A heartbeat older than this is stale. Above the test profile's 3 s so that a loaded CI machine
   * does not make a live job look dead on its own; the outage is what this test is about.
   */
  static final String STALE_AFTER = "5s";

  /** Longer than {@link #STALE_AFTER}: when the database is back, every heartbeat is stale. */
  static final long OUTAGE_MS = 8_000;

  /**
   * Long enough for the tight bound below to be hit: ~15 epochs (at most 0.25 s each while the
   * database is away) fill 100 points, then {@code record} waits its 2 s.
   */
  static final long LONG_OUTAGE_MS = 12_000;

  static RestartablePostgres postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = RestartablePostgres.start(Path.of("target/postgres-restart"));
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void shouldFinishAJobWithEveryMetricPointWhenPostgresRestartsWhileItTrains() {
    try (ConfigurableApplicationContext service = service("restart-a")) {
      Api api = api(service);
      UUID id = submit(api, Jobs.irisMlp(EPOCHS));
      JsonNode before =
          api.awaitJob(
              id, j -> j.path("progress").path("epochsDone").asInt() >= 10, Duration.ofMinutes(1));
      assertThat(before.path("status").asText()).isEqualTo("RUNNING");

      outage(OUTAGE_MS, () -> {});

      JsonNode done = api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));
      // The outage outlasted stale-after, yet nobody mistook the live job for a dead replica's.
      assertThat(done.path("attempt").asInt()).as("%s", done).isEqualTo(1);
      assertThat(transitions(service, id)).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
      assertThat(done.path("progress").path("epochsDone").asInt()).isEqualTo(EPOCHS);
      IrisSeries.of(api, id).assertComplete(EPOCHS);
    }
  }

  @Test
  void shouldFailTheJobWithTheBufferReasonWhenTheOutageOutlastsTheMetricBound() {
    try (ConfigurableApplicationContext service =
        service(
            "restart-b",
            "deeptrain.metrics.buffer-capacity=100",
            "deeptrain.metrics.batch-size=10",
            "deeptrain.metrics.max-wait=2s",
            // The training thread's own writes (progress) give up after 0.25 s instead of
            // Hikari's 30 s, so training goes on and fills the small buffer within the outage.
            "spring.datasource.hikari.connection-timeout=250",
            "deeptrain.jobs.max-attempts=1")) {
      Api api = api(service);
      UUID id = submit(api, Jobs.irisMlp(EPOCHS));
      api.awaitJob(
          id, j -> j.path("progress").path("epochsDone").asInt() >= 5, Duration.ofMinutes(1));

      outage(
          LONG_OUTAGE_MS,
          () -> {
            // The API says what is wrong and when to come back, not "internal error".
            Api.Response meanwhile = api.get("/api/v1/jobs/" + id);
            assertThat(meanwhile.status()).as(meanwhile.raw()).isEqualTo(503);
            assertThat(meanwhile.body().path("type").asText()).endsWith("/database-unavailable");
            assertThat(meanwhile.headers().firstValue("Retry-After")).contains("5");
          });

      JsonNode failed = api.awaitStatus(id, "FAILED", Duration.ofMinutes(1));
      assertThat(failed.path("error").asText())
          .as("%s", failed)
          .contains("metrics could not be written for 2 s");
      // Every point the run recorded before it stopped was written once the database was back:
      // each series runs from its first step without a gap.
      IrisSeries series = IrisSeries.of(api, id);
      List<Long> lengths = new ArrayList<>();
      for (String name : JobLifecycleIntegrationTests.EPOCH_METRICS) {
        List<Long> steps = series.steps(name);
        assertThat(steps).as(name).isEqualTo(range(1, steps.size(), 1));
        lengths.add((long) steps.size());
      }
      long epochs = lengths.stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(epochs).as("epochs with metrics").isGreaterThanOrEqualTo(5);
      // The epoch it stopped in may miss its last series (the one that could not be recorded).
      assertThat(lengths).allSatisfy(n -> assertThat(n).isBetween(epochs - 1, epochs));
      List<Long> loss = series.steps("loss");
      assertThat(loss).as("loss").isEqualTo(range(10, loss.size(), 10));
      assertThat(loss.size())
          .isGreaterThanOrEqualTo(
              (int) ((epochs - 1) * IrisSeries.ITERATIONS_PER_EPOCH / IrisSeries.LOSS_EVERY));

      // The worker survived: it runs the next job.
      UUID next = submit(api, Jobs.irisMlp(5));
      api.awaitStatus(next, "SUCCEEDED", Duration.ofMinutes(1));
    }
  }

  /** The database goes away for a while, then comes back with its data. */
  private static void outage(long millis, Runnable meanwhile) {
    System.out.printf("%s stopping PostgreSQL%n", Instant.now());
    postgres.stop();
    long stopped = System.nanoTime();
    System.out.printf("%s PostgreSQL stopped%n", Instant.now());
    meanwhile.run();
    Api.sleep(Math.max(0, millis - (System.nanoTime() - stopped) / 1_000_000));
    postgres.restart();
    System.out.printf("%s PostgreSQL started again%n", Instant.now());
  }

  private static List<Long> range(long first, int count, long by) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(first + i * by);
    }
    return out;
  }

  private static UUID submit(Api api, String json) {
    Api.Response r = api.post("/api/v1/jobs", json);
    assertThat(r.status()).as(r.raw()).isEqualTo(202);
    return UUID.fromString(r.body().path("id").asText());
  }

  private static List<String> transitions(ConfigurableApplicationContext service, UUID id) {
    return service
        .getBean(JdbcClient.class)
        .sql("SELECT to_status FROM job_transitions WHERE job_id = :id ORDER BY seq")
        .param("id", id)
        .query(String.class)
        .list();
  }

  private static ConfigurableApplicationContext service(String replica, String... more) {
    List<String> props = new ArrayList<>();
    props.add("server.port=0");
    // A database per service: a job one test leaves behind is not the next one's.
    props.add("spring.datasource.url=" + postgres.jdbcUrl(replica.replace('-', '_')));
    props.add("spring.datasource.username=postgres");
    props.add("spring.datasource.password=postgres");
    props.add("deeptrain.jobs.replica-id=" + replica);
    props.add("deeptrain.jobs.stale-after=" + STALE_AFTER);
    props.addAll(List.of(more));
    return new SpringApplicationBuilder(DeeptrainApplication.class)
        .profiles("test")
        .properties(props.toArray(String[]::new))
        .run();
  }

  private static Api api(ConfigurableApplicationContext context) {
    return new Api(
        Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
  }
}
