package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.dataset.ImageCatalogs;
import io.deeptrain.fixtures.InMemoryCheckpointStore;
import io.deeptrain.fixtures.InMemoryMetricRecorder;
import io.deeptrain.fixtures.TrainingFixtures;
import io.deeptrain.spec.DiffusionSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.ResumePoint;
import io.deeptrain.training.TrainedModel;
import io.deeptrain.training.TrainingCancelledException;
import io.deeptrain.training.TrainingControl;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

class DiffusionTrainerTests {

  static final DiffusionSpec SPEC =
      new DiffusionSpec(50, DiffusionSpec.BetaSchedule.COSINE, List.of(4, 8), 16);

  final InMemoryMetricRecorder metrics = new InMemoryMetricRecorder();
  final List<Integer> sampleEpochs = new ArrayList<>();
  final List<String> measured = new ArrayList<>();

  DiffusionTrainer trainer() {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    beans.registerSingleton(
        "quality",
        (SampleQuality)
            (dataset, model, seed) -> {
              measured.add(dataset + " " + model.generate(2, seed).shape()[0]);
              return Map.of("frechet_distance", 12.5, "frechet_distance_noise", 300.0);
            });
    TrainingSamples samples =
        new TrainingSamples() {
          @Override
          public void record(UUID jobId, int epoch, String text) {}

          @Override
          public void recordImage(UUID jobId, int epoch, byte[] png) {
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
            sampleEpochs.add(epoch);
          }
        };
    return new DiffusionTrainer(
        new GenerativeRuns(
            ImageCatalogs.withSystemDatasets(),
            metrics,
            TrainingFixtures.metricProperties(1),
            samples,
            beans.getBeanProvider(SampleQuality.class)));
  }

  static TrainingRequest request(int epochs) {
    return request(epochs, "");
  }

  static TrainingRequest request(int epochs, String extra) {
    TrainingSpec training =
        JsonMapper.builder()
            .build()
            .readValue(
                ("{"
                        + extra
                        + "\"epochs\":%d,\"batchSize\":32,\"learningRate\":0.002,\"seed\":3,"
                        + "\"maxTrainExamples\":64,\"maxTestExamples\":32}")
                    .formatted(epochs),
                TrainingSpec.class)
            .resolved();
    return new TrainingRequest(UUID.randomUUID(), "fashion-mnist", SPEC, training);
  }

  @Test
  void shouldRecordEpochMetricsSamplesAndSampleQuality() {
    TrainedModel model =
        trainer().train(request(2), TrainingFixtures.runToEnd(), new InMemoryCheckpointStore(0));

    assertThat(metrics.series("loss"))
        .extracting(InMemoryMetricRecorder.Point::step)
        .containsExactly(1L, 2L, 3L, 4L);
    for (String name : List.of("train_loss", "test_loss", "samples_per_second", "epoch_seconds")) {
      assertThat(metrics.series(name)).as(name).extracting(p -> p.step()).containsExactly(1L, 2L);
    }
    assertThat(metrics.series("frechet_distance"))
        .singleElement()
        .satisfies(p -> assertThat(p.step()).isEqualTo(2L));
    assertThat(sampleEpochs).containsExactly(1, 2);
    assertThat(measured).containsExactly("fashion-mnist 2");
    assertThat(model.metrics())
        .containsKeys("train_loss", "test_loss", "frechet_distance", "frechet_distance_noise");
    assertThat(model.mediaType()).isEqualTo(SameDiffArtifacts.MEDIA_TYPE);
    assertThat(model.inputShape()).containsExactly(1, 28, 28);
    assertThat(model.labels()).hasSize(10);
    assertThat(model.stopReason()).isEqualTo("completed all 2 epochs");
  }

  @Test
  void shouldResumeFromTheEpochCheckpointExactlyAsAnUninterruptedRun() {
    TrainedModel straight =
        trainer().train(request(2), TrainingFixtures.runToEnd(), new InMemoryCheckpointStore(0));

    InMemoryCheckpointStore store = new InMemoryCheckpointStore(0);
    // Two batches per epoch: the third check is the first of epoch 2.
    assertThatThrownBy(
            () -> trainer().train(request(2), TrainingFixtures.stopWhen(n -> n > 2), store))
        .isInstanceOf(TrainingCancelledException.class);
    assertThat(store.saved()).hasSize(1);
    List<ResumePoint> starts = new ArrayList<>();
    TrainingControl recording =
        new TrainingControl() {
          @Override
          public boolean stopRequested() {
            return false;
          }

          @Override
          public void epochCompleted(int epochsDone, int epochsTotal) {}

          @Override
          public void starting(ResumePoint from) {
            starts.add(from);
          }
        };
    TrainedModel resumed = trainer().train(request(2), recording, store);

    assertThat(starts).singleElement().satisfies(p -> assertThat(p.epochsDone()).isEqualTo(1));
    assertThat(resumed.metrics().get("test_loss")).isEqualTo(straight.metrics().get("test_loss"));
    assertThat(resumed.metrics().get("train_loss")).isEqualTo(straight.metrics().get("train_loss"));
    DiffusionModel a =
        new DiffusionModel(
            SameDiffArtifacts.load(straight.artifact(), false), SPEC, List.of(1, 28, 28), null);
    DiffusionModel b =
        new DiffusionModel(
            SameDiffArtifacts.load(resumed.artifact(), false), SPEC, List.of(1, 28, 28), null);
    assertThat(b.generate(2, 5)).isEqualTo(a.generate(2, 5));
  }

  @Test
  void shouldWarnThatSettingsForOtherLoopsDidNotApply() {
    List<String> warnings = new ArrayList<>();
    TrainingControl control =
        new TrainingControl() {
          @Override
          public boolean stopRequested() {
            return false;
          }

          @Override
          public void epochCompleted(int epochsDone, int epochsTotal) {}

          @Override
          public void warn(String message) {
            warnings.add(message);
          }
        };

    trainer().train(request(1, "\"optimizer\":\"SGD\","), control, new InMemoryCheckpointStore(0));

    assertThat(warnings)
        .containsExactly(
            "diffusion models train with Adam at a constant learningRate for all epochs;"
                + " optimizer SGD did not apply");
  }
}
