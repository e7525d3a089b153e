package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.system.FieldViolation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TrainingSpecTests {

  final JsonMapper json = JsonMapper.builder().build();
  final SpecValidator validator = new SpecValidator();

  static final String FULL =
      """
      {"epochs":30,"optimizer":"SGD_G2","learningRate":0.05,
       "schedule":{"type":"COSINE","unit":"ITERATION","min":0.001,"warmup":20},
       "weightDecay":0.0001,
       "gradientClipping":{"type":"NORM","threshold":5.0},
       "earlyStopping":{"metric":"test_accuracy","patience":4,"minDelta":0.01}}""";

  @Test
  void shouldReadAndWriteTheNewFieldsAndFillTheirDefaults() {
    TrainingSpec spec = json.readValue(FULL, TrainingSpec.class);

    assertThat(json.readValue(json.writeValueAsString(spec), TrainingSpec.class)).isEqualTo(spec);
    assertThat(validator.validate(spec, "training")).isEmpty();
    TrainingSpec resolved = spec.resolved();
    assertThat(resolved.schedule())
        .isEqualTo(
            new ScheduleSpec(
                ScheduleSpec.Type.COSINE,
                ScheduleSpec.Unit.ITERATION,
                null,
                null,
                null,
                0.001,
                20));
    assertThat(resolved.earlyStopping().mode()).isEqualTo(EarlyStoppingSpec.Mode.MAX);
    assertThat(resolved.gradientClipping().thresholdOrDefault()).isEqualTo(5.0);
    assertThat(TrainingSpec.defaults().weightDecay()).isEqualTo(0.0);
    assertThat(TrainingSpec.defaults().schedule()).isNull();
  }

  @Test
  void shouldDefaultTheInverseConstantToTheLearningRateAndLossesToMin() {
    TrainingSpec spec =
        json.readValue(
                """
                {"learningRate":0.2,"schedule":{"type":"INVERSE"},"earlyStopping":{}}""",
                TrainingSpec.class)
            .resolved();
    assertThat(spec.schedule().c()).isEqualTo(0.2);
    assertThat(spec.schedule().unit()).isEqualTo(ScheduleSpec.Unit.EPOCH);
    assertThat(spec.schedule().warmup()).isZero();
    assertThat(spec.earlyStopping())
        .isEqualTo(new EarlyStoppingSpec("test_loss", 5, 0.0, EarlyStoppingSpec.Mode.MIN));
  }

  @Test
  void shouldNameEachBadNewFieldByItsPath() {
    TrainingSpec spec =
        json.readValue(
            """
            {"optimizer":"ADADELTA","l2":0.01,"weightDecay":0.1,
             "schedule":{"type":"INVERSE","c":-1,"every":3,"warmup":-1},
             "gradientClipping":{"threshold":0},
             "earlyStopping":{"metric":"val_loss","patience":0,"minDelta":-1}}""",
            TrainingSpec.class);

    assertThat(validator.validate(spec, "training"))
        .extracting(FieldViolation::field)
        .containsExactly(
            "training.weightDecay",
            "training.schedule",
            "training.schedule.every",
            "training.schedule.c",
            "training.schedule.warmup",
            "training.gradientClipping.type",
            "training.gradientClipping.threshold",
            "training.earlyStopping.metric",
            "training.earlyStopping.patience",
            "training.earlyStopping.minDelta");
    assertThat(validator.validate(spec, "training"))
        .extracting(FieldViolation::message)
        .contains(
            "cannot be combined with l2; set one of them to 0",
            "applies to STEP schedules only, not INVERSE",
            "unknown value 'val_loss'; allowed: test_loss, test_accuracy, train_loss,"
                + " train_accuracy");
  }

  @Test
  void shouldRequireAScheduleTypeAndACosineMinimumBelowTheRate() {
    TrainingSpec spec =
        json.readValue(
            """
            {"learningRate":0.01,"schedule":{"type":"COSINE","min":0.5,"gamma":2}}""",
            TrainingSpec.class);
    assertThat(validator.validate(spec, "training"))
        .extracting(FieldViolation::field)
        .containsExactly(
            "training.schedule.gamma", "training.schedule.gamma", "training.schedule.min");
    TrainingSpec untyped = json.readValue("{\"schedule\":{}}", TrainingSpec.class);
    assertThat(validator.validate(untyped, "training"))
        .extracting(FieldViolation::field)
        .containsExactly("training.schedule.type");
  }
}
