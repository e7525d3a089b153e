package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.TrainingSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/** Two claimers race over one queue: each job must be claimed exactly once. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.MOCK,
    properties = {
      "deeptrain.jobs.dispatch=false",
      "deeptrain.embedded-postgres.database=claim_race"
    })
@ActiveProfiles("test")
@Tag("integration")
class JobClaimRaceIntegrationTests {

  @Autowired JobRepository jobs;
  @Autowired JdbcClient jdbc;

  @Test
  void shouldClaimEachOf200QueuedJobsExactlyOnceWhenTwoClaimersRace() throws Exception {
    jdbc.sql("DELETE FROM jobs").update();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      jobs.insert(
          new Job(
              id,
              "race-" + i,
              JobStatus.QUEUED,
              i % 3,
              "iris",
              new MlpSpec(List.of(new DenseLayerSpec(4, null)), null),
              TrainingSpec.defaults(),
              0,
              3,
              null,
              null,
              false,
              Instant.now(),
              null,
              null,
              null,
              0,
              20,
              null,
              null,
              null,
              null,
              List.of(),
              null,
              null,
              null));
    }

    Map<UUID, String> claimedBy = new ConcurrentHashMap<>();
    List<UUID> duplicates = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Integer>> results = new ArrayList<>();
    for (String owner : List.of("replica-a", "replica-b")) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                int mine = 0;
                while (true) {
                  List<Job> batch = jobs.claim(owner, 1 + ThreadLocalRandom.current().nextInt(7));
                  if (batch.isEmpty()) {
                    return mine;
                  }
                  for (Job j : batch) {
                    assertThat(j.status()).isEqualTo(JobStatus.RUNNING);
                    assertThat(j.owner()).isEqualTo(owner);
                    if (claimedBy.putIfAbsent(j.id(), owner) != null) {
                      duplicates.add(j.id());
                    }
                    mine++;
                  }
                }
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : results) {
      total += f.get();
    }
    pool.shutdown();

    assertThat(duplicates).isEmpty();
    assertThat(total).isEqualTo(200);
    assertThat(claimedBy.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(results.get(0).get()).as("both claimers got work").isPositive();
    assertThat(results.get(1).get()).isPositive();
    assertThat(
            jdbc.sql("SELECT count(*) FROM jobs WHERE status = 'RUNNING' AND attempt = 1")
                .query(Integer.class)
                .single())
        .isEqualTo(200);
  }

  @Test
  void shouldClaimHigherPriorityFirstAndFifoWithinAPriority() {
    jdbc.sql("DELETE FROM jobs").update();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    UUID lowOld = insert(0, t0);
    UUID highNew = insert(5, t0.plusSeconds(20));
    UUID highOld = insert(5, t0.plusSeconds(10));
    UUID lowNew = insert(0, t0.plusSeconds(30));

    List<UUID> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(jobs.claim("replica-a", 1).get(0).id());
    }
    assertThat(order).containsExactly(highOld, highNew, lowOld, lowNew);
    assertThat(jobs.claim("replica-a", 1)).isEmpty();
  }

  @Test
  void shouldRunAtMostMaxRunningPerKeyJobsOfOneKeyAcrossReplicasAndNoLimitWithoutAKey() {
    jdbc.sql("DELETE FROM jobs").update();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    UUID alice1 = insert(9, t0, "alice");
    UUID alice2 = insert(9, t0.plusSeconds(1), "alice");
    UUID alice3 = insert(9, t0.plusSeconds(2), "alice");
    UUID bob = insert(0, t0.plusSeconds(3), "bob");
    UUID open1 = insert(0, t0.plusSeconds(4));
    UUID open2 = insert(0, t0.plusSeconds(5));

    // Two replicas, a limit of 2 per key: alice's third job waits although it ranks first.
    List<UUID> claimed = new ArrayList<>();
    jobs.claim("replica-a", 2, 2).forEach(j -> claimed.add(j.id()));
    jobs.claim("replica-b", 10, 2).forEach(j -> claimed.add(j.id()));
    assertThat(claimed).containsExactly(alice1, alice2, bob, open1, open2);
    assertThat(jobs.claim("replica-b", 10, 2)).isEmpty();

    // One of alice's jobs ends: her waiting one may run.
    assertThat(jobs.finish(alice1, "replica-a", JobStatus.SUCCEEDED, null, null)).isTrue();
    assertThat(jobs.claim("replica-b", 10, 2)).extracting(Job::id).containsExactly(alice3);
    // 0 = unlimited.
    jdbc.sql("DELETE FROM jobs").update();
    insert(0, t0, "alice");
    insert(0, t0.plusSeconds(1), "alice");
    assertThat(jobs.claim("replica-a", 10, 0)).hasSize(2);
  }

  @Test
  void shouldNotClaimAJobRequeuedByTheReaperUntilItsBackoffIsOver() {
    jdbc.sql("DELETE FROM jobs").update();
    UUID id = insert(0, Instant.now());
    assertThat(jobs.claim("dead-replica", 1)).hasSize(1);
    jdbc.sql("UPDATE jobs SET heartbeat_at = now() - interval '1 hour' WHERE id = :id")
        .param("id", id)
        .update();

    List<JobRepository.Reaped> reaped =
        jobs.reapStale(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10));
    assertThat(reaped).containsExactly(new JobRepository.Reaped(id, JobStatus.QUEUED));
    Job queued = jobs.find(id).orElseThrow();
    assertThat(queued.notBefore())
        .isBetween(Instant.now().plusSeconds(4 * 60), Instant.now().plusSeconds(5 * 60 + 5));
    assertThat(JobView.from(queued).nextAttemptAt()).isEqualTo(queued.notBefore());
    assertThat(queued.error()).contains("stopped sending heartbeats");
    assertThat(jobs.claim("replica-a", 1)).as("still backing off").isEmpty();

    jdbc.sql("UPDATE jobs SET not_before = now() - interval '1 second' WHERE id = :id")
        .param("id", id)
        .update();
    List<Job> again = jobs.claim("replica-a", 1);
    assertThat(again).extracting(Job::id).containsExactly(id);
    assertThat(again.get(0).attempt()).isEqualTo(2);
    assertThat(JobView.from(again.get(0)).nextAttemptAt()).isNull();
  }

  @Test
  void shouldRetryARetryableFailureWithGrowingBackoffAndFailAfterTheLastAttempt() {
    jdbc.sql("DELETE FROM jobs").update();
    UUID id = insert(0, Instant.now());
    jdbc.sql("UPDATE jobs SET max_attempts = 2 WHERE id = :id").param("id", id).update();
    Duration base = Duration.ofSeconds(60);
    Duration cap = Duration.ofHours(1);

    jobs.claim("replica-a", 1);
    assertThat(jobs.retryOrFail(id, "replica-a", "metric buffer full", base, cap))
        .isEqualTo(JobStatus.QUEUED);
    Job first = jobs.find(id).orElseThrow();
    assertThat(first.error())
        .isEqualTo("attempt 1 of 2 failed and will be retried: metric buffer full");
    assertThat(first.owner()).isNull();
    assertThat(first.notBefore()).isAfter(Instant.now().plusSeconds(50));
    assertThat(jobs.retryOrFail(id, "replica-a", "again", base, cap)).as("no longer held").isNull();

    jdbc.sql("UPDATE jobs SET not_before = NULL WHERE id = :id").param("id", id).update();
    jobs.claim("replica-b", 1);
    assertThat(jobs.retryOrFail(id, "replica-b", "metric buffer full again", base, cap))
        .isEqualTo(JobStatus.FAILED);
    Job failed = jobs.find(id).orElseThrow();
    assertThat(failed.error())
        .isEqualTo("gave up after 2 attempts; last cause: metric buffer full again");
    assertThat(failed.finishedAt()).isNotNull();
    assertThat(failed.notBefore()).isNull();
  }

  private UUID insert(int priority, Instant createdAt) {
    return insert(priority, createdAt, null);
  }

  private UUID insert(int priority, Instant createdAt, String submittedBy) {
    UUID id = UUID.randomUUID();
    jobs.insert(
        new Job(
            id,
            "p",
            JobStatus.QUEUED,
            priority,
            "iris",
            new MlpSpec(List.of(new DenseLayerSpec(4, null)), null),
            TrainingSpec.defaults(),
            0,
            3,
            null,
            null,
            false,
            createdAt,
            null,
            null,
            null,
            0,
            20,
            null,
            null,
            null,
            null,
            List.of(),
            null,
            null,
            submittedBy));
    return id;
  }
}
