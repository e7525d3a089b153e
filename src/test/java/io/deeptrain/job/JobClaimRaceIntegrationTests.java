package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.TrainingSpec;
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
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
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
              List.of()));
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

  private UUID insert(int priority, Instant createdAt) {
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
            List.of()));
    return id;
  }
}
