package io.deeptrain.training;

import static io.deeptrain.fixtures.TrainingFixtures.metricProperties;
import static io.deeptrain.fixtures.TrainingFixtures.mlp;
import static io.deeptrain.fixtures.TrainingFixtures.runToEnd;
import static io.deeptrain.fixtures.TrainingFixtures.training;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.ImageCatalogs;
import io.deeptrain.fixtures.InMemoryCheckpointStore;
import io.deeptrain.fixtures.InMemoryMetricRecorder;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.spec.TrainingSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run stopped mid-epoch and resumed from its checkpoint ends with the same parameters, bit for
 * bit, as the same run never interrupted.
 */
class CheckpointResumeTests {

  private static final DatasetCatalog CATALOG = new DatasetCatalog();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  private final InMemoryMetricRecorder recorder = new InMemoryMetricRecorder();
  private final TrainingRunner runner =
      new TrainingRunner(
          CATALOG,
          new MlpBuilder(),
          new CnnBuilder(new SpecGeometry()),
          new io.deeptrain.model.LstmBuilder(),
          recorder,
          metricProperties(5));

  @Test
  void shouldEndWithTheParametersOfAnUninterruptedRunWhenAnMlpResumesMidEpoch() throws Exception {
    // iris: 120 training rows, batches of 16, 8 iterations per epoch.
    TrainingRequest request =
        request(
            "iris", mlp(Activation.RELU, 16, 16), training(Optimizer.ADAM, 0.01, 6, 16, 5, 0.01));
    TrainedModel straight = runner.train(request, runToEnd());

    InMemoryCheckpointStore store = new InMemoryCheckpointStore(5);
    // The 23rd stop check comes before iteration 23: 22 done, the last periodic checkpoint at 20.
    assertThatThrownBy(() -> runner.train(request, stopAt(23, new ArrayList<>()), store))
        .isInstanceOf(TrainingCancelledException.class);
    ResumePoint stoppedAt = store.latest().orElseThrow().position();
    assertThat(store.saved())
        .extracting(c -> c.position().iteration())
        .containsExactly(5L, 8L, 10L, 15L, 16L, 20L, 22L);
    assertThat(stoppedAt.epochsDone()).isEqualTo(2);
    assertThat(stoppedAt.batchesDone()).isEqualTo(6);

    List<ResumePoint> starts = new ArrayList<>();
    TrainedModel resumed = runner.train(request, stopAt(Integer.MAX_VALUE, starts), store);

    assertThat(starts).containsExactly(stoppedAt);
    assertThat(params(resumed)).isEqualTo(params(straight));
    assertThat(resumed.metrics()).isEqualTo(straight.metrics());
    assertThat(store.latest().orElseThrow().position().epochsDone()).isEqualTo(6);
  }

  @Test
  void shouldEndWithTheParametersOfAnUninterruptedRunWhenACnnGraphResumesMidEpoch()
      throws Exception {
    ModelSpec cnn =
        JSON.readValue(
            """
            {"type":"CNN","layers":[
              {"type":"CONV2D","filters":4,"kernelSize":3},{"type":"BATCH_NORM"},
              {"type":"MAX_POOL","size":2},{"type":"FLATTEN"},{"type":"DENSE","units":16}]}""",
            ModelSpec.class);
    TrainingSpec config =
        JSON.readValue(
                """
                {"epochs":2,"batchSize":32,"optimizer":"ADAM","learningRate":0.001,"seed":3,
                 "maxTrainExamples":256}""",
                TrainingSpec.class)
            .resolved();
    TrainingRunner images =
        new TrainingRunner(
            ImageCatalogs.withIdxImages(dir, "shapes", 256, 64, 12, 12),
            new MlpBuilder(),
            new CnnBuilder(new SpecGeometry()),
            new io.deeptrain.model.LstmBuilder(),
            recorder,
            metricProperties(5));
    TrainingRequest request = request("shapes", cnn, config);
    TrainedModel straight = images.train(request, runToEnd());

    InMemoryCheckpointStore store = new InMemoryCheckpointStore(0);
    // 8 iterations per epoch: stop in the second epoch after 11 iterations.
    assertThatThrownBy(() -> images.train(request, stopAt(12, new ArrayList<>()), store))
        .isInstanceOf(TrainingCancelledException.class);
    assertThat(store.latest().orElseThrow().position().iteration()).isEqualTo(11);
    assertThat(store.latest().orElseThrow().mediaType()).isEqualTo(TrainableNetwork.GRAPH);

    TrainedModel resumed = images.train(request, runToEnd(), store);

    assertThat(params(resumed)).isEqualTo(params(straight));
    assertThat(resumed.metrics()).isEqualTo(straight.metrics());
  }

  @Test
  void shouldRepeatTheDropoutMasksOfAnUninterruptedRunWhenResumed() throws Exception {
    TrainingRequest request =
        request(
            "wine", mlp(0.3, Activation.RELU, 16, 16), training(Optimizer.ADAM, 0.01, 4, 16, 9));
    TrainedModel straight = runner.train(request, runToEnd());

    InMemoryCheckpointStore store = new InMemoryCheckpointStore(0);
    assertThatThrownBy(() -> runner.train(request, stopAt(14, new ArrayList<>()), store))
        .isInstanceOf(TrainingCancelledException.class);
    TrainedModel resumed = runner.train(request, runToEnd(), store);

    // ND4J's generator state travels in the checkpoint, so the masks after the resume match.
    assertThat(params(resumed)).isEqualTo(params(straight));
  }

  @Test
  void shouldStartFromScratchWhenTheCheckpointWasTakenOnOtherData() {
    TrainingSpec config = training(Optimizer.ADAM, 0.01, 2, 16, 5);
    TrainingRequest iris = request("iris", mlp(Activation.RELU, 8), config);
    InMemoryCheckpointStore store = new InMemoryCheckpointStore(0);
    runner.train(iris, runToEnd(), store);

    List<ResumePoint> starts = new ArrayList<>();
    TrainingSpec fewer =
        new TrainingSpec(
                2,
                16,
                Optimizer.ADAM,
                0.01,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                5L,
                null,
                60,
                null,
                null,
                null,
                null,
                null)
            .resolved();
    runner.train(
        request("iris", mlp(Activation.RELU, 8), fewer), stopAt(Integer.MAX_VALUE, starts), store);

    assertThat(starts).containsExactly(ResumePoint.start());
  }

  private static TrainingRequest request(String dataset, ModelSpec spec, TrainingSpec training) {
    return new TrainingRequest(UUID.randomUUID(), dataset, spec, training);
  }

  /** Stops at the n-th stop check (1-based) and remembers where each run started. */
  private static TrainingControl stopAt(int n, List<ResumePoint> starts) {
    return new TrainingControl() {
      private int checks;

      @Override
      public boolean stopRequested() {
        return ++checks >= n;
      }

      @Override
      public void epochCompleted(int epochsDone, int epochsTotal) {}

      @Override
      public void starting(ResumePoint from) {
        starts.add(from);
      }
    };
  }

  private static INDArray params(TrainedModel model) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(model.artifact());
    return TrainableNetwork.GRAPH.equals(model.mediaType())
        ? ModelSerializer.restoreComputationGraph(in).params()
        : ModelSerializer.restoreMultiLayerNetwork(in).params();
  }
}
