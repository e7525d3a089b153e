package io.deeptrain.job;

import io.deeptrain.training.TrainingSamples;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What a model generated after each epoch (a language model's text, a generative model's PNG grid),
 * one row per (job, epoch); written again on a rerun of the same epoch rather than duplicated.
 */
@Repository
class JobSamples implements TrainingSamples {

  /** One epoch's sample. */
  @Schema(
      name = "JobSample",
      description = "What the model generated after an epoch: text, or a PNG grid of images.")
  record Sample(
      int epoch,
      @Schema(description = "Generated text (language models); null for images.") String text,
      @Schema(
              description =
                  "Path of the epoch's PNG grid of generated images (generative models); null for"
                      + " text.")
          String image) {}

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

  @Override
  public void recordImage(UUID jobId, int epoch, byte[] png) {
    jdbc.sql(
            """
            INSERT INTO job_samples (job_id, epoch, image) VALUES (:job, :epoch, :image)
            ON CONFLICT (job_id, epoch) DO UPDATE SET image = EXCLUDED.image, created_at = now()
            """)
        .param("job", jobId)
        .param("epoch", epoch)
        .param("image", png)
        .update();
  }

  List<Sample> of(UUID jobId) {
    return jdbc.sql(
            """
            SELECT epoch, text, image IS NOT NULL FROM job_samples WHERE job_id = :job
            ORDER BY epoch
            """)
        .param("job", jobId)
        .query(
            (rs, i) ->
                new Sample(
                    rs.getInt(1),
                    rs.getString(2),
                    rs.getBoolean(3)
                        ? "/api/v1/jobs/" + jobId + "/samples/" + rs.getInt(1) + ".png"
                        : null))
        .list();
  }

  /** The PNG grid saved after {@code epoch}, if there is one. */
  Optional<byte[]> image(UUID jobId, int epoch) {
    return jdbc.sql(
            "SELECT image FROM job_samples WHERE job_id = :job AND epoch = :epoch AND image IS NOT NULL")
        .param("job", jobId)
        .param("epoch", epoch)
        .query((rs, i) -> rs.getBytes(1))
        .optional();
  }
}
