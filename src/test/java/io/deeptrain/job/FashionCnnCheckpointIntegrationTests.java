package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.Checkpoint;
import io.deeptrain.training.TrainingCancelledException;
import io.deeptrain.training.TrainingControl;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingRunner;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The size and cost of a checkpoint of the Fashion-MNIST TF-tutorial CNN, stored in PostgreSQL and
 * read back. Prints the figures; asserts only the round trip (tests never assert on time). Skipped
 * when Fashion-MNIST is not installed.
 */
@IntegrationTest
class FashionCnnCheckpointIntegrationTests {

  static final String TUTORIAL_CNN =
      """
      {"type":"CNN","layers":[
        {"type":"CONV2D","filters":32,"kernelSize":3},{"type":"MAX_POOL","size":2},
        {"type":"CONV2D","filters":64,"kernelSize":3},{"type":"MAX_POOL","size":2},
        {"type":"CONV2D","filters":64,"kernelSize":3},{"type":"FLATTEN"},
        {"type":"DENSE","units":64}]}""";

  @Autowired TrainingRunner runner;
  @Autowired DatasetCatalog datasets;
  @Autowired CheckpointRepository repository;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @Test
  void shouldStoreAndReadBackATutorialCnnCheckpointOfAboutOneMebibyte() {
    assumeTrue(datasets.find("fashion-mnist").isPresent(), "Fashion-MNIST is not installed");
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, name, status, dataset, spec, training, attempt, max_attempts,
                              owner, heartbeat_at, epochs_total)
            VALUES (:id, 'ckpt-size', 'RUNNING', 'fashion-mnist', :spec::jsonb, '{"epochs":1}'::jsonb,
                    1, 1, 'measuring', now() + interval '1 hour', 1)
            """)
        .param("id", id)
        .param("spec", TUTORIAL_CNN)
        .update();
    TrainingRequest request =
        new TrainingRequest(
            id,
            "fashion-mnist",
            json.readValue(TUTORIAL_CNN, ModelSpec.class),
            json.readValue(
                    "{\"epochs\":1,\"batchSize\":64,\"optimizer\":\"ADAM\",\"learningRate\":0.001,"
                        + "\"seed\":1,\"maxTrainExamples\":1280,\"maxTestExamples\":256}",
                    TrainingSpec.class)
                .resolved());

    System.out.printf("%-10s %10s %14s %12s%n", "iteration", "KiB", "serialise ms", "store ms");
    for (int n = 1; n <= 5; n++) {
      int iterations = n * 3;
      // A checkpoint every iteration; the run stops after `iterations`, the last one is timed.
      JobCheckpoints store =
          new JobCheckpoints(id, "measuring", repository, new CheckpointProperties(iterations, 2));
      repository.deleteAll(id);
      try {
        assertThatThrownBy(() -> runner.train(request, stopAfter(iterations), store))
            .isInstanceOf(TrainingCancelledException.class);
      } finally {
        store.close();
      }
      JobCheckpoints.Written w = store.lastWritten();
      assertThat(w.iteration()).isEqualTo(iterations);
      System.out.printf(
          "%-10d %10.1f %14.1f %12.1f%n",
          w.iteration(), w.sizeBytes() / 1024.0, w.captureNanos() / 1e6, w.writeNanos() / 1e6);
    }

    JobCheckpoints reader =
        new JobCheckpoints(id, "measuring", repository, new CheckpointProperties(0, 2));
    long t0 = System.nanoTime();
    Checkpoint back = reader.latest().orElseThrow();
    System.out.printf(
        "read back and SHA-256 checked in %.1f ms: %d bytes, epoch %d + %d batches%n",
        (System.nanoTime() - t0) / 1e6,
        back.model().length,
        back.position().epochsDone(),
        back.position().batchesDone());
    assertThat(back.position().iteration()).isEqualTo(15);
    // Weights and Adam's two moments of 93,322 parameters (float32), zipped: about 1 MiB.
    assertThat(back.model().length).isBetween(900_000, 2_000_000);
    jdbc.sql("UPDATE jobs SET status = 'CANCELLED', owner = NULL WHERE id = :id")
        .param("id", id)
        .update();
  }

  private static TrainingControl stopAfter(int iterations) {
    return new TrainingControl() {
      private int checks;

      @Override
      public boolean stopRequested() {
        return ++checks > iterations;
      }

      @Override
      public void epochCompleted(int epochsDone, int epochsTotal) {}
    };
  }
}
