package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deeptrain.spec.DiffusionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class WeightAverageTests {

  @Test
  void shouldAverageWeightsAndSwapThemInOnlyWhileAsked() {
    SameDiff graph =
        Denoiser.build(new DiffusionSpec(10, null, List.of(4), 8), List.of(1, 8, 8), 1);
    WeightAverage average = WeightAverage.of(graph);
    INDArray weights = graph.getArrForVarName("dense0_W");
    INDArray start = weights.dup();

    weights.addi(1.0);
    average.update(1); // decay 2/11: the average moves 9/11 of the way
    INDArray trained = weights.dup();
    double seen = average.with(() -> graph.getArrForVarName("dense0_W").getDouble(0));

    assertThat(seen).isCloseTo(start.getDouble(0) + 9.0 / 11, within(1e-5));
    assertThat(graph.getArrForVarName("dense0_W")).isEqualTo(trained);
    assertThat(WeightAverage.of(graph)).isNotNull();
    assertThat(graph.getArrForVarName("dense0_W" + WeightAverage.SUFFIX).getDouble(0))
        .as("a second attach keeps the average")
        .isCloseTo(seen, within(1e-6));
  }
}
