package io.deeptrain.job;

import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.ResumePoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The queue in SQL. Every write a worker makes is guarded by {@code owner = :owner AND status =
 * 'RUNNING'}, so a replica that lost a job (its heartbeat went stale and another took it) can never
 * overwrite the new owner's state.
 */
@Repository
class JobRepository {

  static final String NOTIFY_CHANNEL = "deeptrain_jobs";

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final RowMapper<Job> mapper = this::map;

  private final TransactionTemplate tx;

  JobRepository(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.json = json;
    this.tx = new TransactionTemplate(transactions);
  }

  void insert(Job job) {
    jdbc.sql(
            """
            INSERT INTO jobs (id, name, status, priority, dataset, spec, training, attempt,
                              max_attempts, created_at, epochs_total, timeout_seconds, submitted_by)
            VALUES (:id, :name, 'QUEUED', :priority, :dataset, :spec::jsonb, :training::jsonb, 0,
                    :maxAttempts, :createdAt, :epochsTotal, :timeoutSeconds, :submittedBy)
            """)
        .param("id", job.id())
        .param("name", job.name())
        .param("priority", job.priority())
        .param("dataset", job.dataset())
        .param("spec", json.writeValueAsString(job.spec()))
        .param("training", json.writeValueAsString(job.training()))
        .param("maxAttempts", job.maxAttempts())
        .param("createdAt", Timestamp.from(job.createdAt()))
        .param("epochsTotal", job.epochsTotal())
        .param("timeoutSeconds", job.timeoutSeconds())
        .param("submittedBy", job.submittedBy())
        .update();
    notifyQueued();
  }

  /** Serialises submissions (to the end of the caller's transaction) so the queue limit holds. */
  void lockSubmissions() {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('" + NOTIFY_CHANNEL + "_submit'))")
        .query()
        .singleRow();
  }

  /** Wakes the dispatchers of every replica (delivered when the transaction commits). */
  void notifyQueued() {
    jdbc.sql("SELECT pg_notify('" + NOTIFY_CHANNEL + "', '')").query().singleRow();
  }

  Optional<Job> find(UUID id) {
    return jdbc.sql("SELECT * FROM jobs WHERE id = :id").param("id", id).query(mapper).optional();
  }

  List<Job> page(JobStatus status, int offset, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM jobs WHERE (CAST(:status AS text) IS NULL OR status = :status)
            ORDER BY created_at DESC, id DESC OFFSET :offset LIMIT :limit
            """)
        .param("status", status == null ? null : status.name())
        .param("offset", offset)
        .param("limit", limit)
        .query(mapper)
        .list();
  }

  long count(JobStatus status) {
    return jdbc.sql(
            "SELECT count(*) FROM jobs WHERE (CAST(:status AS text) IS NULL OR status = :status)")
        .param("status", status == null ? null : status.name())
        .query(Long.class)
        .single();
  }

  /** Claims up to {@code limit} queued jobs, highest priority first, FIFO within a priority. */
  List<Job> claim(String owner, int limit) {
    return claim(owner, limit, 0);
  }

  /**
   * Claims up to {@code limit} queued jobs whose backoff is over, highest priority first, FIFO
   * within a priority. With {@code maxRunningPerKey > 0} a job whose key already runs that many
   * jobs (on any replica) is skipped: claims are then serialised by an advisory lock and made one
   * at a time, so two replicas (or one claiming several) cannot both take a key's last place.
   */
  List<Job> claim(String owner, int limit, int maxRunningPerKey) {
    if (maxRunningPerKey <= 0) {
      return claimStatement(owner, limit, 0);
    }
    return tx.execute(
        status -> {
          jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('" + NOTIFY_CHANNEL + "_claim'))")
              .query()
              .singleRow();
          List<Job> claimed = new ArrayList<>();
          for (int i = 0; i < limit; i++) {
            List<Job> one = claimStatement(owner, 1, maxRunningPerKey);
            if (one.isEmpty()) {
              break;
            }
            claimed.addAll(one);
          }
          return claimed;
        });
  }

  private List<Job> claimStatement(String owner, int limit, int maxRunningPerKey) {
    return jdbc.sql(
            """
            UPDATE jobs SET status = 'RUNNING', owner = :owner, heartbeat_at = now(),
                            started_at = coalesce(started_at, now()), attempt = attempt + 1,
                            error = NULL, not_before = NULL
            WHERE id IN (SELECT q.id FROM jobs q
                         WHERE q.status = 'QUEUED'
                           AND (q.not_before IS NULL OR q.not_before <= now())
                           AND (:maxPerKey = 0 OR q.submitted_by IS NULL
                                OR (SELECT count(*) FROM jobs r WHERE r.status = 'RUNNING'
                                      AND r.submitted_by = q.submitted_by) < :maxPerKey)
                         ORDER BY q.priority DESC, q.created_at, q.id
                         FOR UPDATE SKIP LOCKED LIMIT :limit)
            RETURNING *
            """)
        .param("owner", owner)
        .param("limit", limit)
        .param("maxPerKey", maxRunningPerKey)
        .query(mapper)
        .list();
  }

  /**
   * A heartbeat for every job this owner runs; returns the ids it still owns, with cancel flags.
   */
  List<OwnedJob> heartbeat(String owner) {
    return jdbc.sql(
            """
            UPDATE jobs SET heartbeat_at = now() WHERE owner = :owner AND status = 'RUNNING'
            RETURNING id, cancel_requested
            """)
        .param("owner", owner)
        .query(
            (rs, n) ->
                new OwnedJob(rs.getObject("id", UUID.class), rs.getBoolean("cancel_requested")))
        .list();
  }

  record OwnedJob(UUID id, boolean cancelRequested) {}

  boolean progress(UUID id, String owner, int epochsDone) {
    return jdbc.sql(
                """
                UPDATE jobs SET epochs_done = :done, heartbeat_at = now()
                WHERE id = :id AND owner = :owner AND status = 'RUNNING'
                """)
            .param("done", epochsDone)
            .param("id", id)
            .param("owner", owner)
            .update()
        == 1;
  }

  /** Where a claimed job's training starts: from scratch, or from a restored checkpoint. */
  boolean starting(UUID id, String owner, ResumePoint from) {
    boolean resumed = !from.fromScratch();
    return jdbc.sql(
                """
                UPDATE jobs SET epochs_done = :done, resumed_epoch = :epoch,
                                resumed_iteration = :iteration, heartbeat_at = now()
                WHERE id = :id AND owner = :owner AND status = 'RUNNING'
                """)
            .param("done", from.epochsDone())
            .param("epoch", resumed ? from.epochsDone() : null)
            .param("iteration", resumed ? from.iteration() : null)
            .param("id", id)
            .param("owner", owner)
            .update()
        == 1;
  }

  /**
   * Puts a CANCELLED or FAILED job back in the queue with a fresh attempt budget; its progress is
   * that of its newest checkpoint, where the next worker will continue. False in any other state.
   */
  boolean resume(UUID id) {
    return jdbc.sql(
                """
                UPDATE jobs SET status = 'QUEUED', attempt = 0, error = NULL, not_before = NULL,
                                cancel_requested = false, finished_at = NULL, owner = NULL,
                                heartbeat_at = NULL, resumed_epoch = NULL, resumed_iteration = NULL,
                                epochs_done = coalesce((SELECT epoch FROM checkpoints
                                                        WHERE job_id = :id
                                                        ORDER BY iteration DESC LIMIT 1), 0)
                WHERE id = :id AND status IN ('CANCELLED', 'FAILED')
                """)
            .param("id", id)
            .update()
        == 1;
  }

  /** Ends a running job this owner holds; false if it no longer holds it. */
  boolean finish(UUID id, String owner, JobStatus status, String error, UUID modelId) {
    return jdbc.sql(
                """
                UPDATE jobs SET status = :status, finished_at = now(), error = :error,
                                model_id = :modelId, heartbeat_at = now()
                WHERE id = :id AND owner = :owner AND status = 'RUNNING'
                """)
            .param("status", status.name())
            .param("error", error)
            .param("modelId", modelId)
            .param("id", id)
            .param("owner", owner)
            .update()
        == 1;
  }

  /**
   * A run this owner holds failed for a cause worth retrying (nothing in the spec or data): back to
   * the queue, claimable after the backoff for its attempt number, or FAILED when that was its last
   * attempt. Returns the new status, or null if the owner no longer holds the job.
   */
  JobStatus retryOrFail(UUID id, String owner, String cause, Duration base, Duration cap) {
    return jdbc.sql(
            """
            UPDATE jobs SET
              status = CASE WHEN attempt >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
              error = CASE WHEN attempt >= max_attempts
                             THEN 'gave up after ' || attempt || ' attempts; last cause: ' || :cause
                           ELSE 'attempt ' || attempt || ' of ' || max_attempts
                             || ' failed and will be retried: ' || :cause END,
              finished_at = CASE WHEN attempt >= max_attempts THEN now() END,
              not_before = CASE WHEN attempt < max_attempts
                             THEN now() + make_interval(secs => %s) END,
              owner = NULL,
              heartbeat_at = NULL
            WHERE id = :id AND owner = :owner AND status = 'RUNNING'
            RETURNING status
            """
                .formatted(RetryBackoff.SQL))
        .param("cause", cause)
        .param("baseSeconds", base.toMillis() / 1000.0)
        .param("capSeconds", cap.toMillis() / 1000.0)
        .param("id", id)
        .param("owner", owner)
        .query((rs, n) -> JobStatus.valueOf(rs.getString("status")))
        .optional()
        .orElse(null);
  }

  /** Records why a run that is about to succeed stopped (all epochs, or early stopping). */
  boolean stopReason(UUID id, String owner, String reason) {
    return jdbc.sql(
                "UPDATE jobs SET stop_reason = :reason WHERE id = :id AND owner = :owner AND status = 'RUNNING'")
            .param("reason", reason)
            .param("id", id)
            .param("owner", owner)
            .update()
        == 1;
  }

  /** Appends a warning of a running job, once per text. */
  boolean addWarning(UUID id, String owner, String warning) {
    return jdbc.sql(
                """
                UPDATE jobs SET warnings = array_append(warnings, :warning)
                WHERE id = :id AND owner = :owner AND status = 'RUNNING'
                  AND NOT (:warning = ANY (warnings))
                """)
            .param("warning", warning)
            .param("id", id)
            .param("owner", owner)
            .update()
        == 1;
  }

  /** Hands a running job back to the queue (graceful shutdown); its attempt is not counted. */
  boolean release(UUID id, String owner) {
    return jdbc.sql(
                """
                UPDATE jobs SET status = 'QUEUED', owner = NULL, heartbeat_at = NULL,
                                attempt = greatest(attempt - 1, 0)
                WHERE id = :id AND owner = :owner AND status = 'RUNNING'
                """)
            .param("id", id)
            .param("owner", owner)
            .update()
        == 1;
  }

  boolean cancelQueued(UUID id) {
    return jdbc.sql(
                """
                UPDATE jobs SET status = 'CANCELLED', finished_at = now(), error = 'cancelled by request'
                WHERE id = :id AND status = 'QUEUED'
                """)
            .param("id", id)
            .update()
        == 1;
  }

  boolean requestCancel(UUID id) {
    return jdbc.sql("UPDATE jobs SET cancel_requested = true WHERE id = :id AND status = 'RUNNING'")
            .param("id", id)
            .update()
        == 1;
  }

  /**
   * Requeues RUNNING jobs whose heartbeat is older than {@code staleAfter}; a job out of attempts
   * fails, a job whose cancellation was requested is cancelled. Timestamps are the database's, so
   * replicas with skewed clocks agree.
   */
  List<Reaped> reapStale(Duration staleAfter, Duration backoff, Duration maxBackoff) {
    return jdbc.sql(
            """
            UPDATE jobs SET
              status = CASE WHEN cancel_requested THEN 'CANCELLED'
                            WHEN attempt >= max_attempts THEN 'FAILED'
                            ELSE 'QUEUED' END,
              error = CASE WHEN cancel_requested THEN 'cancelled by request'
                           WHEN attempt >= max_attempts THEN
                             'gave up after ' || attempt || ' attempts; last cause: the replica running it ('
                             || coalesce(owner, '?') || ') stopped sending heartbeats; check that'
                             || ' replica''s logs (out of memory? killed?) and resubmit'
                           ELSE 'requeued: the replica running it (' || coalesce(owner, '?')
                             || ') stopped sending heartbeats' END,
              finished_at = CASE WHEN cancel_requested OR attempt >= max_attempts THEN now() END,
              not_before = CASE WHEN NOT cancel_requested AND attempt < max_attempts
                             THEN now() + make_interval(secs => %s) END,
              owner = NULL,
              heartbeat_at = NULL
            WHERE status = 'RUNNING'
              AND heartbeat_at < now() - make_interval(secs => :staleSeconds)
            RETURNING id, status
            """
                .formatted(RetryBackoff.SQL))
        .param("staleSeconds", staleAfter.toMillis() / 1000.0)
        .param("baseSeconds", backoff.toMillis() / 1000.0)
        .param("capSeconds", maxBackoff.toMillis() / 1000.0)
        .query(
            (rs, n) ->
                new Reaped(
                    rs.getObject("id", UUID.class), JobStatus.valueOf(rs.getString("status"))))
        .list();
  }

  record Reaped(UUID id, JobStatus status) {}

  private Job map(ResultSet rs, int row) throws SQLException {
    return new Job(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        JobStatus.valueOf(rs.getString("status")),
        rs.getInt("priority"),
        rs.getString("dataset"),
        json.readValue(rs.getString("spec"), ModelSpec.class),
        json.readValue(rs.getString("training"), TrainingSpec.class),
        rs.getInt("attempt"),
        rs.getInt("max_attempts"),
        rs.getString("owner"),
        instant(rs, "heartbeat_at"),
        rs.getBoolean("cancel_requested"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getString("error"),
        rs.getInt("epochs_done"),
        rs.getInt("epochs_total"),
        rs.getObject("model_id", UUID.class),
        rs.getObject("resumed_epoch", Integer.class),
        rs.getObject("resumed_iteration", Long.class),
        rs.getString("stop_reason"),
        List.of((String[]) rs.getArray("warnings").getArray()),
        rs.getObject("timeout_seconds", Integer.class),
        instant(rs, "not_before"),
        rs.getString("submitted_by"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}
