package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.system.FieldViolation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** deeptrain.specs.*: one request cannot ask a worker for more than it has. */
class SpecSizeLimitTests {

  static MlpSpec mlp(int... units) {
    return new MlpSpec(
        java.util.Arrays.stream(units).mapToObj(u -> new DenseLayerSpec(u, null)).toList(), null);
  }

  @Test
  void shouldRefuseMoreParametersThanConfiguredNamingTheSpec() {
    SpecGeometry geometry = new SpecGeometry(new SpecLimits(1_000, DataSize.ofGigabytes(1)));

    // 4 features -> 100 -> 3 classes: 500 + 303 = 803 parameters; 4 -> 200 -> 3: 1,603.
    assertThat(geometry.check(mlp(100), List.of(4), 3, "spec")).isEmpty();
    List<FieldViolation> refused = geometry.check(mlp(200), List.of(4), 3, "spec");

    assertThat(refused).extracting(FieldViolation::field).containsExactly("spec");
    assertThat(refused.get(0).message())
        .contains("1,603 parameters", "at most 1,000", "deeptrain.specs.max-parameters");
  }

  @Test
  void shouldRefuseABatchWhoseTrainingStepNeedsMoreMemoryThanConfigured() {
    SpecGeometry geometry = new SpecGeometry(new SpecLimits(100_000_000, DataSize.ofMegabytes(1)));
    // 4 + 1000 + 3 activations per example, 8 bytes each with their gradients: ~8 KB per example.
    MlpSpec wide = mlp(1000);

    List<FieldViolation> refused =
        geometry.check(wide, null, List.of(4), 3, "spec", 1000, "training.batchSize");

    assertThat(refused).extracting(FieldViolation::field).containsExactly("training.batchSize");
    assertThat(refused.get(0).message())
        .contains("batches of 1,000", "deeptrain.specs.max-training-memory", "at most 1.0 MB");
    int largest =
        Integer.parseInt(
            refused.get(0).message().replaceAll(".*use a batch of at most (\\d+)", "$1"));
    assertThat(geometry.check(wide, null, List.of(4), 3, "spec", largest, "training.batchSize"))
        .isEmpty();
    assertThat(geometry.check(wide, null, List.of(4), 3, "spec", largest + 1, "training.batchSize"))
        .hasSize(1);
  }

  @Test
  void shouldLetTheDefaultsTrainTheTutorialCnnOnCifarWithLargeBatches() {
    CnnSpec tutorial =
        new CnnSpec(
            List.of(
                SpecGeometryTests.conv(32, 3),
                SpecGeometryTests.pool(),
                SpecGeometryTests.conv(64, 3),
                SpecGeometryTests.pool(),
                SpecGeometryTests.conv(64, 3)));

    assertThat(
            new SpecGeometry()
                .check(
                    tutorial,
                    "cifar10",
                    List.of(3, 32, 32),
                    10,
                    "spec",
                    1024,
                    "training.batchSize"))
        .isEmpty();
  }

  @Test
  void shouldRefuseAHundredGigabyteCnnByDefault() {
    // 2 x 2048 filters on 28x28 keep 3.2 M activations per example; a batch of 65536 is ~1.7 TB.
    CnnSpec huge =
        new CnnSpec(List.of(SpecGeometryTests.conv(2048, 3), SpecGeometryTests.conv(2048, 3)));

    List<FieldViolation> refused =
        new SpecGeometry()
            .check(
                huge, "fashion-mnist", List.of(1, 28, 28), 10, "spec", 65536, "training.batchSize");

    assertThat(refused).extracting(FieldViolation::field).containsExactly("training.batchSize");
  }
}
