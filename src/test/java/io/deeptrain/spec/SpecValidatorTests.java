package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.system.FieldViolation;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTests {

  final SpecValidator validator = new SpecValidator();

  @Test
  void shouldAcceptTheIrisMlp() {
    MlpSpec spec =
        new MlpSpec(
            List.of(new DenseLayerSpec(16, Activation.RELU), new DenseLayerSpec(16, null)), 0.1);
    assertThat(validator.validate(spec, "spec")).isEmpty();
    assertThat(validator.validate(TrainingSpec.defaults(), "training")).isEmpty();
  }

  @Test
  void shouldNameEachBadLayerByItsPath() {
    MlpSpec spec =
        new MlpSpec(
            List.of(
                new DenseLayerSpec(16, null),
                new DenseLayerSpec(0, null),
                new DenseLayerSpec(null, null)),
            null);
    assertThat(validator.validate(spec, "spec"))
        .extracting(FieldViolation::field)
        .containsExactly("spec.layers[1].units", "spec.layers[2].units");
  }

  @Test
  void shouldRejectTooManyLayers() {
    MlpSpec spec = new MlpSpec(Collections.nCopies(65, new DenseLayerSpec(4, null)), null);
    assertThat(validator.validate(spec, "spec"))
        .extracting(FieldViolation::message)
        .containsExactly("has 65 layers; at most 64 are allowed");
  }

  @Test
  void shouldRejectOutOfRangeHyperparameters() {
    TrainingSpec t =
        new TrainingSpec(
            0,
            0,
            Optimizer.ADAM,
            -1.0,
            1.0,
            1.0,
            1.0,
            0.0,
            1.0,
            -1.0,
            -1.0,
            1L,
            0.0,
            0,
            -5,
            null,
            null,
            null,
            null);
    assertThat(validator.validate(t, "training"))
        .extracting(FieldViolation::field)
        .containsExactly(
            "training.epochs",
            "training.batchSize",
            "training.learningRate",
            "training.momentum",
            "training.beta1",
            "training.beta2",
            "training.rho",
            "training.epsilon",
            "training.l1",
            "training.l2",
            "training.testFraction",
            "training.maxTrainExamples",
            "training.maxTestExamples");
  }

  @Test
  void shouldFillDefaults() {
    TrainingSpec t =
        new TrainingSpec(
                5, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null)
            .resolved();
    assertThat(t.epochs()).isEqualTo(5);
    assertThat(t.batchSize()).isEqualTo(32);
    assertThat(t.optimizer()).isEqualTo(Optimizer.ADAM);
    assertThat(t.seed()).isEqualTo(42L);
    assertThat(t.testFraction()).isEqualTo(0.2);
  }
}
