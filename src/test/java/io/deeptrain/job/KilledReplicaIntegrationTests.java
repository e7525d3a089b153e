package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.DeeptrainApplication;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.Jobs;
import io.deeptrain.fixtures.RestartablePostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue #8's proof: kill -9 of the instance running a job, a real separate JVM, mid-training. The
 * other instance's reaper requeues the job, which resumes from its checkpoint and finishes; its
 * metric series is continuous, with no step twice.
 *
 * <p>The doomed instance is a child JVM on the test's classpath, alone with the job's database
 * until it has claimed the job; the survivor is a Spring context in the test JVM. Both share a
 * PostgreSQL of this test's own (checkpoints live there too). The child's output goes to {@code
 * target/killed-replica/doomed.log}.
 */
@Tag("integration")
class KilledReplicaIntegrationTests {

  static final int EPOCHS = 400;

  /** The kill comes after this many epochs: several checkpoints and metric points are stored. */
  static final int KILL_AFTER_EPOCHS = 20;

  static final Path DIR = Path.of("target/killed-replica");

  /**
   * Above the test profile's 3 s, so that a loaded CI machine does not make the doomed replica's
   * live job look dead before the kill.
   */
  static final String STALE_AFTER = "5s";

  private RestartablePostgres postgres;
  private Process doomed;
  private CompletableFuture<ConfigurableApplicationContext> survivor;

  @AfterEach
  void tearDown() throws Exception {
    if (doomed != null) {
      doomed.destroyForcibly();
      doomed.waitFor(30, TimeUnit.SECONDS);
    }
    if (survivor != null) {
      survivor.handle((c, e) -> c).get(2, TimeUnit.MINUTES);
      ConfigurableApplicationContext c = survivor.getNow(null);
      if (c != null) {
        c.close();
      }
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void shouldResumeTheJobOfAKilledReplicaFromItsCheckpointWithContinuousMetrics() throws Exception {
    Files.createDirectories(DIR);
    postgres = RestartablePostgres.start(DIR.resolve("postgres"));
    JdbcClient jdbc =
        JdbcClient.create(
            new SimpleDriverDataSource(
                new Driver(), postgres.jdbcUrl("killed_replica"), "postgres", "postgres"));

    int doomedPort = RestartablePostgres.freePort();
    doomed = startDoomedReplica(doomedPort, DIR.resolve("doomed.log"));
    awaitUp(doomed, doomedPort, DIR.resolve("doomed.log"));

    // The doomed replica is the only one: it claims the job.
    UUID id = submit(new Api(doomedPort), Jobs.irisMlp(EPOCHS));
    Map<String, Object> before = awaitCheckpointedRun(jdbc, id);
    assertThat(before.get("owner")).isEqualTo("doomed");
    survivor = CompletableFuture.supplyAsync(() -> service("survivor"));

    doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no hand-back, no last checkpoint
    assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(doomed.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    long checkpointed = ((Number) before.get("iteration")).longValue();
    System.out.printf("Killed the replica running job %s at %s%n", id, before);

    Api api = api(survivor.get(2, TimeUnit.MINUTES));
    JsonNode done = api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));

    assertThat(done.path("attempt").asInt()).as("%s", done).isEqualTo(2);
    assertThat(done.path("progress").path("epochsDone").asInt()).isEqualTo(EPOCHS);
    JsonNode resumedFrom = done.path("resumedFrom");
    assertThat(resumedFrom.isObject()).as("resumedFrom of %s", done).isTrue();
    assertThat(resumedFrom.path("iteration").asLong()).isGreaterThanOrEqualTo(checkpointed);
    assertThat(resumedFrom.path("epoch").asInt())
        .isBetween((int) (checkpointed / IrisSeries.ITERATIONS_PER_EPOCH), EPOCHS - 1);
    List<Map<String, Object>> transitions =
        jdbc.sql(
                "SELECT to_status, owner, reason FROM job_transitions WHERE job_id = :id"
                    + " ORDER BY seq")
            .param("id", id)
            .query()
            .listOfRows();
    assertThat(transitions.stream().map(t -> t.get("to_status")).toList())
        .containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
    assertThat(transitions.get(1).get("owner")).isEqualTo("doomed");
    assertThat((String) transitions.get(2).get("reason"))
        .contains("(doomed) stopped sending heartbeats");
    assertThat(transitions.get(3).get("owner")).isEqualTo("survivor");
    System.out.printf("Job %s: attempt 2 on the survivor resumed from %s%n", id, resumedFrom);

    // Points the dead replica wrote before its checkpoint stay; those after are written again,
    // once, by the survivor: every step once, none missing.
    IrisSeries.of(api, id).assertComplete(EPOCHS);
  }

  /** Waits until the doomed replica runs the job and has stored a checkpoint and metric points. */
  private static Map<String, Object> awaitCheckpointedRun(JdbcClient jdbc, UUID id) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    Map<String, Object> last = null;
    while (System.nanoTime() < deadline) {
      last =
          jdbc.sql(
                  """
                  SELECT j.status, j.owner, j.epochs_done,
                         (SELECT max(iteration) FROM checkpoints c WHERE c.job_id = j.id)
                           AS iteration,
                         (SELECT count(*) FROM metric_points m WHERE m.job_id = j.id) AS points
                  FROM jobs j WHERE j.id = :id
                  """)
              .param("id", id)
              .query()
              .singleRow();
      if ("RUNNING".equals(last.get("status"))
          && ((Number) last.get("epochs_done")).intValue() >= KILL_AFTER_EPOCHS
          && last.get("iteration") != null
          && ((Number) last.get("points")).longValue() > 0) {
        return last;
      }
      Api.sleep(20);
    }
    throw new AssertionError("the doomed replica did not checkpoint job " + id + ": " + last);
  }

  private Process startDoomedReplica(int port, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-Dorg.eclipse.deeplearning4j.helpers.disable=false",
                "-cp",
                // Under surefire this is the test classpath (classes, test-classes, every jar).
                System.getProperty("java.class.path"),
                DeeptrainApplication.class.getName(),
                "--spring.profiles.active=test",
                "--server.port=" + port,
                "--spring.datasource.url=" + postgres.jdbcUrl("killed_replica"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--deeptrain.jobs.replica-id=doomed",
                "--deeptrain.jobs.stale-after=" + STALE_AFTER)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("OMP_NUM_THREADS", "1");
    return builder.start();
  }

  private static void awaitUp(Process process, int port, Path log) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the doomed replica exited with " + process.exitValue() + ":\n" + tail(log));
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Api.sleep(200);
    }
    throw new AssertionError("the doomed replica did not start within 2 minutes:\n" + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static UUID submit(Api api, String json) {
    Api.Response r = api.post("/api/v1/jobs", json);
    assertThat(r.status()).as(r.raw()).isEqualTo(202);
    return UUID.fromString(r.body().path("id").asText());
  }

  private ConfigurableApplicationContext service(String replica) {
    return new SpringApplicationBuilder(DeeptrainApplication.class)
        .profiles("test")
        .properties(
            "server.port=0",
            "spring.datasource.url=" + postgres.jdbcUrl("killed_replica"),
            "spring.datasource.username=postgres",
            "spring.datasource.password=postgres",
            "deeptrain.jobs.replica-id=" + replica,
            "deeptrain.jobs.stale-after=" + STALE_AFTER)
        .run();
  }

  private static Api api(ConfigurableApplicationContext context) {
    return new Api(
        Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
  }
}
