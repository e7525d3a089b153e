package io.deeptrain.bench;

import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.ResumePoint;
import io.deeptrain.training.TrainingCancelledException;
import io.deeptrain.training.TrainingControl;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue #5's figure: how many epochs and how long a rows-as-sequence LSTM(128) takes to reach 0.85
 * test accuracy on the whole of Fashion-MNIST (60k train, 10k test), trained in-process. Stops at
 * the first epoch at or above the target, or after {@code --epochs} (default 10).
 *
 * <p>Run with {@code bench/lstm-fashion [--epochs N]}; writes bench/results/lstm-fashion-DATE.txt.
 * Not a test: it never runs in {@code mvn verify}.
 */
public final class LstmFashionMnistRun {

  static final String SPEC =
      "{\"type\":\"LSTM\",\"layers\":[{\"units\":128}],\"head\":\"CLASSIFICATION\","
          + "\"view\":\"ROWS_AS_SEQUENCE\"}";
  static final double TARGET = 0.85;

  private LstmFashionMnistRun() {}

  public static void main(String[] args) throws Exception {
    int epochs = args.length == 2 && args[0].equals("--epochs") ? Integer.parseInt(args[1]) : 10;
    JsonMapper json = JsonMapper.builder().build();
    ModelSpec spec = json.readValue(SPEC, ModelSpec.class);
    TrainingSpec training =
        json.readValue(
                ("{\"epochs\":%d,\"batchSize\":64,\"optimizer\":\"ADAM\",\"learningRate\":0.001,"
                        + "\"seed\":7,\"gradientClipping\":{\"type\":\"NORM\",\"threshold\":1.0}}")
                    .formatted(epochs),
                TrainingSpec.class)
            .resolved();
    StringBuilder table = new StringBuilder("epoch  test_accuracy  epoch_seconds  elapsed_s\n");
    long start = System.nanoTime();
    boolean[] reached = {false};
    double[] accuracy = {0};
    // test_accuracy is recorded before epoch_seconds; print the row when the epoch's last arrives.
    MetricRecorder recorder =
        (job, name, step, epoch, value) -> {
          if (name.equals("test_accuracy")) {
            accuracy[0] = value;
            reached[0] |= value >= TARGET;
          }
          if (name.equals("epoch_seconds")) {
            String line =
                String.format(
                    "%5d  %13.4f  %13.1f  %9.1f%n",
                    epoch, accuracy[0], value, (System.nanoTime() - start) / 1e9);
            System.out.print(line);
            table.append(line);
          }
        };
    TrainingControl control =
        new TrainingControl() {
          @Override
          public void starting(ResumePoint from) {}

          @Override
          public boolean stopRequested() {
            return reached[0];
          }

          @Override
          public void epochCompleted(int epoch, int total) {}
        };
    TrainingRunner runner =
        new TrainingRunner(
            io.deeptrain.dataset.ImageCatalogs.withSystemDatasets(),
            new MlpBuilder(),
            new CnnBuilder(new SpecGeometry()),
            new LstmBuilder(),
            recorder,
            io.deeptrain.fixtures.TrainingFixtures.metricProperties(1000));
    try {
      runner.train(
          new TrainingRequest(UUID.randomUUID(), "fashion-mnist", spec, training), control);
      table.append("target ").append(TARGET).append(" not reached\n");
    } catch (TrainingCancelledException e) {
      table.append("reached ").append(TARGET).append('\n');
    }
    table.append(
        String.format(
            "total %.1f s, OMP_NUM_THREADS=%s%n",
            (System.nanoTime() - start) / 1e9, System.getenv("OMP_NUM_THREADS")));
    System.out.print(table);
    Path out = Path.of("bench/results/lstm-fashion-" + LocalDate.now() + ".txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, SPEC + "\n" + table);
  }
}
