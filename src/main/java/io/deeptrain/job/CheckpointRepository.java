package io.deeptrain.job;

import io.deeptrain.training.Checkpoint;
import io.deeptrain.training.ResumePoint;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code checkpoints} table. A worker's writes are guarded like every other: only the replica
 * that owns the RUNNING job may add or discard anything, so a replica that lost a job (and may
 * still be training it) cannot overwrite the new owner's checkpoints.
 */
@Repository
class CheckpointRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  CheckpointRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** One stored checkpoint, as read back. */
  record Stored(
      long iteration, String mediaType, ResumePoint state, byte[] content, String sha256) {
    Checkpoint checkpoint() {
      return new Checkpoint(state, mediaType, content, 0);
    }
  }

  /**
   * Stores a checkpoint if {@code owner} still runs the job; false otherwise. FOR SHARE holds the
   * job row until the insert commits, so a reaper cannot requeue it in between.
   */
  boolean insert(UUID jobId, String owner, Checkpoint c, String sha256) {
    return jdbc.sql(
                """
                INSERT INTO checkpoints (job_id, iteration, epoch, attempt, owner, media_type,
                                         state, content, size_bytes, sha256)
                SELECT id, :iteration, :epoch, attempt, owner, :mediaType, :state::jsonb,
                       :content, :size, :sha256
                FROM jobs WHERE id = :jobId AND owner = :owner AND status = 'RUNNING'
                FOR SHARE
                ON CONFLICT (job_id, iteration) DO UPDATE SET
                  epoch = EXCLUDED.epoch, attempt = EXCLUDED.attempt, owner = EXCLUDED.owner,
                  media_type = EXCLUDED.media_type, state = EXCLUDED.state,
                  content = EXCLUDED.content, size_bytes = EXCLUDED.size_bytes,
                  sha256 = EXCLUDED.sha256, created_at = now()
                """)
            .param("jobId", jobId)
            .param("owner", owner)
            .param("iteration", c.position().iteration())
            .param("epoch", c.position().epochsDone())
            .param("mediaType", c.mediaType())
            .param("state", json.writeValueAsString(c.position()))
            .param("content", c.model())
            .param("size", (long) c.model().length)
            .param("sha256", sha256)
            .update()
        == 1;
  }

  /** Deletes all but the newest {@code keep} checkpoints of the job. */
  void prune(UUID jobId, int keep) {
    jdbc.sql(
            """
            DELETE FROM checkpoints WHERE job_id = :jobId AND iteration NOT IN (
              SELECT iteration FROM checkpoints WHERE job_id = :jobId
              ORDER BY iteration DESC LIMIT :keep)
            """)
        .param("jobId", jobId)
        .param("keep", keep)
        .update();
  }

  /** The job's checkpoint {@code skip} places below the newest. */
  Optional<Stored> newest(UUID jobId, int skip) {
    return jdbc.sql(
            """
            SELECT iteration, media_type, state, content, sha256 FROM checkpoints
            WHERE job_id = :jobId ORDER BY iteration DESC OFFSET :skip LIMIT 1
            """)
        .param("jobId", jobId)
        .param("skip", skip)
        .query(
            (rs, n) ->
                new Stored(
                    rs.getLong("iteration"),
                    rs.getString("media_type"),
                    json.readValue(rs.getString("state"), ResumePoint.class),
                    rs.getBytes("content"),
                    rs.getString("sha256")))
        .optional();
  }

  /** Epochs done at the job's newest checkpoint, if it has one. */
  Optional<Integer> newestEpoch(UUID jobId) {
    return jdbc.sql(
            "SELECT epoch FROM checkpoints WHERE job_id = :jobId ORDER BY iteration DESC LIMIT 1")
        .param("jobId", jobId)
        .query(Integer.class)
        .optional();
  }

  /**
   * Forgets what a run did after {@code from}, before it continues from there: metric points after
   * it (so each is written again, once, by the resumed run, and the series has no gap and no point
   * of an abandoned run) and newer checkpoints (unusable ones, since it did not resume them).
   */
  void discardAfter(UUID jobId, String owner, ResumePoint from) {
    List<String> perIteration = List.copyOf(ResumePoint.ITERATION_SERIES);
    jdbc.sql(
            """
            DELETE FROM metric_points
            WHERE job_id = :jobId
              AND EXISTS (SELECT 1 FROM jobs WHERE id = :jobId AND owner = :owner
                                                AND status = 'RUNNING')
              AND CASE WHEN name IN (:perIteration) THEN step > :iteration
                       ELSE step > :epochs END
            """)
        .param("jobId", jobId)
        .param("owner", owner)
        .param("perIteration", perIteration)
        .param("iteration", from.iteration())
        .param("epochs", from.epochsDone())
        .update();
    jdbc.sql(
            """
            DELETE FROM checkpoints
            WHERE job_id = :jobId AND iteration > :iteration
              AND EXISTS (SELECT 1 FROM jobs WHERE id = :jobId AND owner = :owner
                                                AND status = 'RUNNING')
            """)
        .param("jobId", jobId)
        .param("owner", owner)
        .param("iteration", from.iteration())
        .update();
  }

  /** A finished job needs none. */
  void deleteAll(UUID jobId) {
    jdbc.sql("DELETE FROM checkpoints WHERE job_id = :jobId").param("jobId", jobId).update();
  }
}
