package io.deeptrain.job;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The queue's internals bench/run times directly: seeding many QUEUED jobs (more than the API's
 * queue limit lets anyone submit), the claim statement a worker runs, and the clean-up after.
 */
public final class QueueBench {

  private static final String SPEC = "{\"type\":\"MLP\",\"layers\":[{\"units\":16}]}";
  private static final String TRAINING = "{\"epochs\":1}";

  private final ApplicationContext app;
  private final JobRepository jobs;
  private final JdbcTemplate jdbc;
  private final String prefix = "bench-queue-" + UUID.randomUUID() + "-";

  public QueueBench(ApplicationContext app) {
    this.app = app;
    this.jobs = app.getBean(JobRepository.class);
    this.jdbc = app.getBean(JdbcTemplate.class);
  }

  /** Stops this replica's dispatcher, so that seeded jobs stay queued until claimed here. */
  public void stopDispatch() {
    app.getBean(JobDispatcher.class).stop();
  }

  /** Inserts {@code n} QUEUED jobs (names start with this bench's prefix); returns their ids. */
  public List<UUID> seed(int n) {
    List<Object[]> rows = new ArrayList<>(n);
    List<UUID> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      rows.add(new Object[] {id, prefix + i, "iris", SPEC, TRAINING});
    }
    jdbc.batchUpdate(
        "INSERT INTO jobs (id, name, status, dataset, spec, training, max_attempts, epochs_total)"
            + " VALUES (?, ?, 'QUEUED', ?, ?::jsonb, ?::jsonb, 3, 1)",
        rows);
    return ids;
  }

  /** One claim of one job, as a worker makes it; returns how many jobs it took (0 or 1). */
  public int claimOne(String owner) {
    return jobs.claim(owner, 1).size();
  }

  /** Deletes every job {@link #seed} inserted (and their metric points, by cascade). */
  public int cleanUp() {
    return jdbc.update("DELETE FROM jobs WHERE name LIKE ?", prefix + "%");
  }
}
