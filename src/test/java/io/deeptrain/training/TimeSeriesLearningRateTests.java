package io.deeptrain.training;

import static io.deeptrain.fixtures.TrainingFixtures.metricProperties;
import static io.deeptrain.fixtures.TrainingFixtures.runToEnd;
import static io.deeptrain.fixtures.TrainingFixtures.training;
import static io.deeptrain.fixtures.TrainingFixtures.withSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.deeptrain.dataset.TimeSeriesCatalogs;
import io.deeptrain.fixtures.InMemoryMetricRecorder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.ScheduleSpec;
import io.deeptrain.spec.TrainingSpec;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Forecasters record the learning rate they trained with, so the job page can draw its curve. */
class TimeSeriesLearningRateTests {

  private final InMemoryMetricRecorder recorder = new InMemoryMetricRecorder();

  private void train(TrainingSpec training) {
    StringBuilder csv = new StringBuilder("y\n");
    for (int t = 0; t < 200; t++) {
      csv.append(Math.sin(2 * Math.PI * t / 25)).append('\n');
    }
    ModelSpec spec =
        JsonMapper.builder()
            .build()
            .readValue(
                "{\"type\":\"LSTM\",\"layers\":[{\"units\":4}],\"head\":\"REGRESSION\"}",
                ModelSpec.class);
    new TimeSeriesTrainer(
            TimeSeriesCatalogs.withSeries("sine", csv.toString(), 10, 1),
            new LstmBuilder(),
            recorder,
            metricProperties(5))
        .train(new TrainingRequest(UUID.randomUUID(), "sine", spec, training), runToEnd());
  }

  @Test
  void shouldRecordTheExponentiallyDecayedRateOfEveryEpoch() {
    train(
        withSchedule(
            training(Optimizer.ADAM, 0.04, 4, 32, 3),
            new ScheduleSpec(ScheduleSpec.Type.EXPONENTIAL, null, null, null, 0.5, null, null)));

    // Epoch e (from 1) trains at 0.04 * 0.5^(e-1).
    List<Double> rates = recorder.values("learning_rate");
    assertThat(rates).hasSize(4);
    for (int e = 1; e <= 4; e++) {
      assertThat(rates.get(e - 1)).isCloseTo(0.04 * Math.pow(0.5, e - 1), offset(1e-12));
    }
    assertThat(recorder.values("learning_rate_step")).isEmpty();
    assertThat(recorder.values("test_rmse")).hasSize(4);
  }

  @Test
  void shouldRecordTheRateWithTheLossWhenItChangesEveryIteration() {
    train(
        withSchedule(
            training(Optimizer.SGD, 0.1, 2, 16, 3),
            new ScheduleSpec(
                ScheduleSpec.Type.STEP, ScheduleSpec.Unit.ITERATION, null, 5, 0.5, null, null)));

    // Iteration i (from 1) trains at 0.1 * 0.5^floor((i-1)/5); a point every 5th iteration.
    List<InMemoryMetricRecorder.Point> steps = recorder.series("learning_rate_step");
    assertThat(steps).hasSameSizeAs(recorder.series("loss")).isNotEmpty();
    for (InMemoryMetricRecorder.Point p : steps) {
      assertThat(p.value()).isCloseTo(0.1 * Math.pow(0.5, (p.step() - 1) / 5), offset(1e-12));
    }
    assertThat(recorder.values("learning_rate")).hasSize(2);
  }
}
