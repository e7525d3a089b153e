package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The job's side of generative runs: warnings a run raises, and the PNG grid of samples saved per
 * epoch. A job is put RUNNING under another replica's name directly, so this replica's workers
 * leave it alone.
 */
@IntegrationTest
class JobWarningsAndImageSamplesIntegrationTests {

  static final String OWNER = "replica-of-this-test";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired JobRepository jobs;
  @Autowired JobSamples samples;
  Api api;

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  @Test
  void shouldKeepEachWarningOnceAndOnlyFromTheOwner() {
    UUID id = runningJob();

    assertThat(jobs.addWarning(id, OWNER, "samples lost diversity")).isTrue();
    assertThat(jobs.addWarning(id, OWNER, "samples lost diversity")).isFalse();
    assertThat(jobs.addWarning(id, OWNER, "second warning")).isTrue();
    assertThat(jobs.addWarning(id, "some-other-replica", "not the owner")).isFalse();

    JsonNode job = api.get("/api/v1/jobs/" + id).body();
    assertThat(job.path("warnings").toString())
        .isEqualTo("[\"samples lost diversity\",\"second warning\"]");
  }

  @Test
  void shouldServeTheSampleGridOfAnEpochAsPng() throws Exception {
    UUID id = runningJob();
    byte[] grid = ImageCodec.encodePng(new byte[3 * 10 * 12], 3, 10, 12);
    samples.recordImage(id, 1, grid);
    samples.recordImage(id, 2, grid);
    samples.recordImage(id, 2, grid); // a rerun of epoch 2 replaces, not duplicates

    JsonNode list = api.get("/api/v1/jobs/" + id + "/samples").body();
    assertThat(list.size()).isEqualTo(2);
    assertThat(list.get(1).path("epoch").asInt()).isEqualTo(2);
    assertThat(list.get(1).path("text").isNull()).isTrue();
    String path = list.get(1).path("image").asText();
    assertThat(path).isEqualTo("/api/v1/jobs/" + id + "/samples/2.png");

    java.net.http.HttpResponse<byte[]> png = api.getRaw(path);
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
    assertThat(image.getWidth()).isEqualTo(12);
    assertThat(image.getHeight()).isEqualTo(10);

    java.net.http.HttpResponse<byte[]> missing =
        api.getRaw("/api/v1/jobs/" + id + "/samples/3.png");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(api.getRaw("/api/v1/jobs/" + UUID.randomUUID() + "/samples/1.png").statusCode())
        .isEqualTo(404);
  }

  private UUID runningJob() {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, name, status, dataset, spec, training, attempt, max_attempts,
                              owner, heartbeat_at, started_at, epochs_total)
            VALUES (:id, 'warnings', 'RUNNING', 'iris', '{"type":"MLP","layers":[{"units":4}]}',
                    '{"epochs":1}', 1, 3, :owner, now() + interval '1 hour', now(), 1)
            """)
        .param("id", id)
        .param("owner", OWNER)
        .update();
    return id;
  }
}
