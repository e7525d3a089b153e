package io.deeptrain.job;

import io.deeptrain.training.TrainingSamples;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Text a language model generated after each epoch, one row per (job, epoch); written again on a
 * rerun of the same epoch rather than duplicated.
 */
@Repository
class JobSamples implements TrainingSamples {

  /** One epoch's sample. */
  @Schema(name = "JobSample", description = "Text the model generated after an epoch.")
  record Sample(int epoch, String text) {}

  private final JdbcClient jdbc;

  JobSamples(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void record(UUID jobId, int epoch, String text) {
    jdbc.sql(
            """
            INSERT INTO job_samples (job_id, epoch, text) VALUES (:job, :epoch, :text)
            ON CONFLICT (job_id, epoch) DO UPDATE SET text = EXCLUDED.text, created_at = now()
            """)
        .param("job", jobId)
        .param("epoch", epoch)
        .param("text", text)
        .update();
  }

  List<Sample> of(UUID jobId) {
    return jdbc.sql("SELECT epoch, text FROM job_samples WHERE job_id = :job ORDER BY epoch")
        .param("job", jobId)
        .query((rs, i) -> new Sample(rs.getInt(1), rs.getString(2)))
        .list();
  }
}
