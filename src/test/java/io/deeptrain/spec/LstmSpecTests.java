package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.system.FieldViolation;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class LstmSpecTests {

  final JsonMapper json = JsonMapper.builder().build();
  final SpecValidator validator = new SpecValidator();
  final SpecGeometry geometry = new SpecGeometry();

  @Test
  void shouldReadEveryFieldAndWriteItBackTheSame() {
    String text =
        """
        {"type":"LSTM","layers":[{"units":64},{"units":32}],"bidirectional":true,"dropout":0.2,\
        "tbpttLength":50,"sequenceLength":64,"head":"LANGUAGE_MODEL","view":"ROWS_AS_SEQUENCE"}""";
    ModelSpec spec = json.readValue(text, ModelSpec.class);

    assertThat(spec)
        .isEqualTo(
            new LstmSpec(
                List.of(new LstmSpec.LstmLayer(64), new LstmSpec.LstmLayer(32)),
                true,
                0.2,
                50,
                64,
                LstmSpec.Head.LANGUAGE_MODEL,
                LstmSpec.SequenceView.ROWS_AS_SEQUENCE));
    assertThat(json.readValue(json.writeValueAsString(spec), ModelSpec.class)).isEqualTo(spec);
    assertThat(json.readTree(json.writeValueAsString(spec)).path("type").asText())
        .isEqualTo("LSTM");
  }

  @Test
  void shouldDefaultToAClassifierReadingRows() {
    LstmSpec spec =
        (LstmSpec)
            json.readValue("{\"type\":\"LSTM\",\"layers\":[{\"units\":8}]}", ModelSpec.class);

    assertThat(validator.validate(spec, "spec")).isEmpty();
    assertThat(spec.headOrDefault()).isEqualTo(LstmSpec.Head.CLASSIFICATION);
    assertThat(spec.viewOrDefault()).isEqualTo(LstmSpec.SequenceView.ROWS_AS_SEQUENCE);
    assertThat(spec.bidirectionalOrDefault()).isFalse();
    assertThat(spec.dropoutOrDefault()).isZero();
  }

  @Test
  void shouldNameEveryBadFieldByItsJsonPath() {
    LstmSpec spec =
        new LstmSpec(
            java.util.Arrays.asList(new LstmSpec.LstmLayer(0), null, new LstmSpec.LstmLayer(null)),
            false,
            1.0,
            20,
            null,
            LstmSpec.Head.CLASSIFICATION,
            null);

    assertThat(validator.validate(spec, "spec"))
        .extracting(FieldViolation::field)
        .containsExactly(
            "spec.layers[0].units",
            "spec.layers[1]",
            "spec.layers[2].units",
            "spec.dropout",
            "spec.tbpttLength");
    assertThat(
            validator.validate(new LstmSpec(List.of(), null, null, null, null, null, null), "spec"))
        .extracting(FieldViolation::field)
        .containsExactly("spec.layers");
    assertThat(
            validator.validate(
                new LstmSpec(
                    List.of(new LstmSpec.LstmLayer(8)),
                    null,
                    null,
                    0,
                    null,
                    LstmSpec.Head.LANGUAGE_MODEL,
                    null),
                "spec"))
        .extracting(FieldViolation::message)
        .containsExactly("must be between 1 and 10000, got 0");
  }

  @Test
  void shouldReadAnImageAsRowsAndCountParametersLikeKeras() {
    LstmSpec spec =
        new LstmSpec(List.of(new LstmSpec.LstmLayer(128)), null, null, null, null, null, null);

    SpecGeometry.Plan plan = geometry.plan(spec, "fashion-mnist", List.of(1, 28, 28), 10, "spec");

    assertThat(plan.fits()).isTrue();
    // Keras: LSTM(128) on (28, 28) has 4*128*(28+128+1) = 80,384; Dense(10) 1,290.
    assertThat(plan.layers())
        .extracting(SpecGeometry.LayerShape::params)
        .containsExactly(80_384L, 1_290L);
    assertThat(plan.layers().get(0).outputShape()).containsExactly(128);
  }

  @Test
  void shouldRefuseTabularDataAndHeadsTheDatasetCannotFeed() {
    LstmSpec spec =
        new LstmSpec(List.of(new LstmSpec.LstmLayer(8)), null, null, null, null, null, null);

    List<FieldViolation> tabular = geometry.check(spec, "iris", List.of(4), 3, "spec");
    assertThat(tabular).extracting(FieldViolation::field).containsExactly("spec.view");
    assertThat(tabular.get(0).message())
        .contains("ROWS_AS_SEQUENCE reads an image")
        .contains("dataset 'iris' has 4 features");

    LstmSpec regression =
        new LstmSpec(
            List.of(new LstmSpec.LstmLayer(8)),
            null,
            null,
            null,
            null,
            LstmSpec.Head.REGRESSION,
            null);
    assertThat(geometry.check(regression, "mnist", List.of(1, 28, 28), 10, "spec"))
        .extracting(FieldViolation::field)
        .containsExactly("spec.head");
  }
}
