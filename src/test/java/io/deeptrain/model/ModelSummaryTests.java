package io.deeptrain.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.spec.SpecGeometry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSummaryTests {

  @Test
  void shouldPrintTheTutorialTableAsKerasDoes() {
    SpecGeometry.Plan plan =
        new SpecGeometry().plan(CnnBuilderTests.tutorial(), null, List.of(3, 32, 32), 10, "spec");
    ModelSummary summary = ModelSummary.from(plan);

    assertThat(summary.totalParams()).isEqualTo(122_570);
    assertThat(summary.trainableParams()).isEqualTo(122_570);
    assertThat(summary.layers().get(0))
        .isEqualTo(new ModelSummary.Row("conv2d", "Conv2D", List.of(32, 30, 30), 896));
    String table = summary.table();
    // Columns line up: each row is name (type), shape and count separated by padding.
    assertThat(table.lines().filter(l -> !l.startsWith("_") && !l.startsWith("=")).limit(9))
        .satisfiesExactly(
            l -> assertThat(l).matches("Layer \\(type\\) +Output Shape +Param #"),
            l -> assertThat(l).matches("conv2d \\(Conv2D\\) +\\(None, 30, 30, 32\\) +896"),
            l ->
                assertThat(l)
                    .matches("max_pooling2d \\(MaxPooling2D\\) +\\(None, 15, 15, 32\\) +0"),
            l -> assertThat(l).matches("conv2d_1 \\(Conv2D\\) +\\(None, 13, 13, 64\\) +18,496"),
            l ->
                assertThat(l)
                    .matches("max_pooling2d_1 \\(MaxPooling2D\\) +\\(None, 6, 6, 64\\) +0"),
            l -> assertThat(l).matches("conv2d_2 \\(Conv2D\\) +\\(None, 4, 4, 64\\) +36,928"),
            l -> assertThat(l).matches("flatten \\(Flatten\\) +\\(None, 1024\\) +0"),
            l -> assertThat(l).matches("dense \\(Dense\\) +\\(None, 64\\) +65,600"),
            l -> assertThat(l).matches("dense_1 \\(Dense\\) +\\(None, 10\\) +650"));
    assertThat(table)
        .contains("Total params: 122,570\nTrainable params: 122,570\nNon-trainable params: 0\n");
    assertThat(table.lines().map(String::length).distinct())
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(table.indexOf('\n')));
  }
}
