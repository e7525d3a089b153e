package io.deeptrain.sweep;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Sweeps and their trials in SQL. The leaderboard and the release check read the children's status
 * and metrics from {@code jobs} and {@code metric_points} in one query, rather than two service
 * calls per trial.
 */
@Repository
class SweepRepository {

  private final JdbcClient jdbc;

  SweepRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One row of {@code sweeps}. */
  record SweepRow(
      UUID id,
      String name,
      SweepStatus status,
      SweepRequest.Search search,
      Objective objective,
      int maxParallel,
      long seed,
      String definition,
      Instant createdAt,
      Instant finishedAt) {}

  /** A trial joined with its job (job columns null while it is not released). */
  record TrialRow(
      int trial,
      String parameters,
      String trialStatus,
      UUID jobId,
      String jobStatus,
      UUID modelId,
      String error,
      Integer epochsDone,
      Integer epochsTotal,
      Double objective) {}

  /** A trial waiting for a free slot. */
  record PendingTrial(int trial, String request) {}

  void insert(SweepRow s) {
    jdbc.sql(
            """
            INSERT INTO sweeps (id, name, status, search, objective_metric, objective_mode,
                                max_parallel, seed, definition, created_at)
            VALUES (:id, :name, 'RUNNING', :search, :metric, :mode, :maxParallel, :seed,
                    :definition::jsonb, :createdAt)
            """)
        .param("id", s.id())
        .param("name", s.name())
        .param("search", s.search().name())
        .param("metric", s.objective().metric())
        .param("mode", s.objective().mode().name())
        .param("maxParallel", s.maxParallel())
        .param("seed", s.seed())
        .param("definition", s.definition())
        .param("createdAt", Timestamp.from(s.createdAt()))
        .update();
  }

  void insertTrial(UUID sweepId, int trial, String parameters, String request) {
    jdbc.sql(
            """
            INSERT INTO sweep_trials (sweep_id, trial, parameters, request, status)
            VALUES (:sweep, :trial, :parameters::jsonb, :request::jsonb, 'PENDING')
            """)
        .param("sweep", sweepId)
        .param("trial", trial)
        .param("parameters", parameters)
        .param("request", request)
        .update();
  }

  Optional<SweepRow> find(UUID id) {
    return jdbc.sql("SELECT * FROM sweeps WHERE id = :id")
        .param("id", id)
        .query(this::sweep)
        .optional();
  }

  /**
   * Locks a sweep for the caller's transaction: releases, completion and cancel of one sweep never
   * interleave, on this replica or another. {@code wait} false skips a sweep someone else holds.
   */
  Optional<SweepRow> lock(UUID id, boolean wait) {
    return jdbc.sql("SELECT * FROM sweeps WHERE id = :id FOR UPDATE" + (wait ? "" : " SKIP LOCKED"))
        .param("id", id)
        .query(this::sweep)
        .optional();
  }

  List<SweepRow> page(int offset, int limit) {
    return jdbc.sql("SELECT * FROM sweeps ORDER BY created_at DESC, id DESC OFFSET :o LIMIT :l")
        .param("o", offset)
        .param("l", limit)
        .query(this::sweep)
        .list();
  }

  long count() {
    return jdbc.sql("SELECT count(*) FROM sweeps").query(Long.class).single();
  }

  List<UUID> running() {
    return jdbc.sql("SELECT id FROM sweeps WHERE status = 'RUNNING' ORDER BY created_at")
        .query(UUID.class)
        .list();
  }

  /** Trials in order, each with its job's status and the last recorded value of the metric. */
  List<TrialRow> trials(UUID sweepId, String metric) {
    return jdbc.sql(
            """
            SELECT t.trial, t.parameters::text AS parameters, t.status AS trial_status, t.job_id,
                   j.status AS job_status, j.model_id, coalesce(j.error, t.error) AS error,
                   j.epochs_done, j.epochs_total,
                   (SELECT m.value FROM metric_points m
                    WHERE m.job_id = t.job_id AND m.name = :metric
                    ORDER BY m.step DESC LIMIT 1) AS objective
            FROM sweep_trials t LEFT JOIN jobs j ON j.id = t.job_id
            WHERE t.sweep_id = :sweep
            ORDER BY t.trial
            """)
        .param("sweep", sweepId)
        .param("metric", metric)
        .query(
            (rs, n) ->
                new TrialRow(
                    rs.getInt("trial"),
                    rs.getString("parameters"),
                    rs.getString("trial_status"),
                    rs.getObject("job_id", UUID.class),
                    rs.getString("job_status"),
                    rs.getObject("model_id", UUID.class),
                    rs.getString("error"),
                    (Integer) rs.getObject("epochs_done"),
                    (Integer) rs.getObject("epochs_total"),
                    (Double) rs.getObject("objective")))
        .list();
  }

  /** Children queued or running: what maxParallel bounds. */
  int active(UUID sweepId) {
    return jdbc.sql(
            """
            SELECT count(*) FROM sweep_trials t JOIN jobs j ON j.id = t.job_id
            WHERE t.sweep_id = :sweep AND j.status IN ('QUEUED', 'RUNNING')
            """)
        .param("sweep", sweepId)
        .query(Integer.class)
        .single();
  }

  List<PendingTrial> pending(UUID sweepId, int limit) {
    return jdbc.sql(
            """
            SELECT trial, request::text AS request FROM sweep_trials
            WHERE sweep_id = :sweep AND status = 'PENDING' ORDER BY trial LIMIT :limit
            """)
        .param("sweep", sweepId)
        .param("limit", limit)
        .query((rs, n) -> new PendingTrial(rs.getInt("trial"), rs.getString("request")))
        .list();
  }

  void released(UUID sweepId, int trial, UUID jobId) {
    jdbc.sql(
            """
            UPDATE sweep_trials SET status = 'RELEASED', job_id = :job, released_at = now()
            WHERE sweep_id = :sweep AND trial = :trial
            """)
        .param("sweep", sweepId)
        .param("trial", trial)
        .param("job", jobId)
        .update();
  }

  void failed(UUID sweepId, int trial, String error) {
    jdbc.sql(
            """
            UPDATE sweep_trials SET status = 'FAILED', error = :error
            WHERE sweep_id = :sweep AND trial = :trial
            """)
        .param("sweep", sweepId)
        .param("trial", trial)
        .param("error", error)
        .update();
  }

  /** Pending trials never start. */
  void cancelPending(UUID sweepId) {
    jdbc.sql(
            """
            UPDATE sweep_trials SET status = 'CANCELLED', error = 'sweep cancelled before it started'
            WHERE sweep_id = :sweep AND status = 'PENDING'
            """)
        .param("sweep", sweepId)
        .update();
  }

  /** Released trials whose job has not finished. */
  List<UUID> unfinishedJobs(UUID sweepId) {
    return jdbc.sql(
            """
            SELECT j.id FROM sweep_trials t JOIN jobs j ON j.id = t.job_id
            WHERE t.sweep_id = :sweep AND j.status IN ('QUEUED', 'RUNNING')
            ORDER BY t.trial
            """)
        .param("sweep", sweepId)
        .query(UUID.class)
        .list();
  }

  void finish(UUID sweepId, SweepStatus status) {
    jdbc.sql("UPDATE sweeps SET status = :status, finished_at = now() WHERE id = :id")
        .param("status", status.name())
        .param("id", sweepId)
        .update();
  }

  private SweepRow sweep(ResultSet rs, int row) throws SQLException {
    Timestamp finished = rs.getTimestamp("finished_at");
    return new SweepRow(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        SweepStatus.valueOf(rs.getString("status")),
        SweepRequest.Search.valueOf(rs.getString("search")),
        new Objective(
            rs.getString("objective_metric"),
            Objective.Mode.valueOf(rs.getString("objective_mode"))),
        rs.getInt("max_parallel"),
        rs.getLong("seed"),
        rs.getString("definition"),
        rs.getTimestamp("created_at").toInstant(),
        finished == null ? null : finished.toInstant());
  }
}
