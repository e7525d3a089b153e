package io.deeptrain.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.spec.LstmSpec;
import io.deeptrain.spec.SpecGeometry;
import java.util.List;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class LstmBuilderTests {

  private final LstmBuilder builder = new LstmBuilder();
  private final SpecGeometry geometry = new SpecGeometry();

  private static LstmSpec spec(boolean bidirectional, LstmSpec.Head head, int... units) {
    return new LstmSpec(
        java.util.Arrays.stream(units).mapToObj(LstmSpec.LstmLayer::new).toList(),
        bidirectional,
        0.1,
        head == LstmSpec.Head.LANGUAGE_MODEL ? 10 : null,
        null,
        head,
        null);
  }

  @ParameterizedTest
  @CsvSource({"false,128", "true,128", "false,64 32", "true,16 16 16"})
  void shouldHoldAsManyParametersAsTheSummarySays(boolean bidirectional, String units) {
    int[] u = java.util.Arrays.stream(units.split(" ")).mapToInt(Integer::parseInt).toArray();
    LstmSpec spec = spec(bidirectional, LstmSpec.Head.CLASSIFICATION, u);
    MultiLayerNetwork net =
        new MultiLayerNetwork(builder.build(spec, 28, 10, NetworkOptions.of(new Adam(), 0, 0, 1)));
    net.init();

    long expected = geometry.plan(spec, null, List.of(1, 28, 28), 10, "spec").totalParams();
    assertThat(net.numParams()).isEqualTo(expected);
    net.close();
  }

  @Test
  void shouldGiveOneProbabilityRowPerSequenceForAClassifier() {
    LstmSpec spec = spec(false, LstmSpec.Head.CLASSIFICATION, 8);
    MultiLayerNetwork net =
        new MultiLayerNetwork(builder.build(spec, 5, 3, NetworkOptions.of(new Adam(), 0, 0, 1)));
    net.init();

    INDArray out = net.output(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 5, 7));
    assertThat(out.shape()).containsExactly(4, 3);
    assertThat(out.sum(1).getDouble(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    net.close();
  }

  @Test
  void shouldPredictEveryStepForALanguageModelWithTruncatedBackprop() {
    LstmSpec spec = spec(false, LstmSpec.Head.LANGUAGE_MODEL, 8);
    var conf = builder.build(spec, 6, 6, NetworkOptions.of(new Adam(), 0, 0, 1));
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();

    assertThat(conf.getBackpropType()).isEqualTo(BackpropType.TruncatedBPTT);
    assertThat(conf.getTbpttFwdLength()).isEqualTo(10);
    assertThat(net.output(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 6, 9)).shape())
        .containsExactly(2, 6, 9);
    net.close();
  }

  @Test
  void shouldClipGradientsOfEveryLayerWhenAsked() {
    var options =
        new NetworkOptions(
            new Adam(), 0, 0, 0, GradientNormalization.ClipElementWiseAbsoluteValue, 0.5, 1);
    var conf = builder.build(spec(false, LstmSpec.Head.CLASSIFICATION, 8), 4, 2, options);

    assertThat(conf.getConfs())
        .allSatisfy(
            c ->
                assertThat(
                        ((org.deeplearning4j.nn.conf.layers.BaseLayer) unwrap(c.getLayer()))
                            .getGradientNormalization())
                    .isEqualTo(GradientNormalization.ClipElementWiseAbsoluteValue));
  }

  private static org.deeplearning4j.nn.conf.layers.Layer unwrap(
      org.deeplearning4j.nn.conf.layers.Layer layer) {
    return layer instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w
        ? unwrap(w.getUnderlying())
        : layer;
  }

  @Test
  void shouldReadImageRowsAsSteps() {
    // Two images 1x2x3: pixel (h, w) = 10h + w.
    INDArray images =
        Nd4j.createFromArray(new float[] {0, 1, 2, 10, 11, 12, 0, 1, 2, 10, 11, 12})
            .reshape(2, 1, 2, 3);

    INDArray seq = LstmBuilder.rowsAsSequence(images);

    assertThat(seq.shape()).containsExactly(2, 3, 2);
    // Step 1 of example 0 is row 1: features 10, 11, 12.
    assertThat(
            seq.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(1))
                .toFloatVector())
        .containsExactly(10f, 11f, 12f);
  }
}
