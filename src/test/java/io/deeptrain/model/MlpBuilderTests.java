package io.deeptrain.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.spec.Activation;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import java.util.List;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;

class MlpBuilderTests {

  private final MlpBuilder builder = new MlpBuilder();

  private static MlpSpec spec(double dropout) {
    return new MlpSpec(
        List.of(new DenseLayerSpec(16, Activation.RELU), new DenseLayerSpec(16, Activation.RELU)),
        dropout);
  }

  @Test
  void shouldBuildFourSixteenSixteenThreeWith403Parameters() {
    MultiLayerConfiguration conf =
        builder.build(spec(0.0), 4, 3, NetworkOptions.of(new Adam(0.01), 0, 0, 42));
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();

    // 4*16+16 + 16*16+16 + 16*3+3
    assertThat(net.numParams()).isEqualTo(403);
    net.close();
  }

  @Test
  void shouldPassDropoutToDl4jAsTheProbabilityOfKeepingAUnit() {
    MultiLayerConfiguration conf =
        builder.build(spec(0.2), 4, 3, NetworkOptions.of(new Adam(0.01), 0, 0, 42));

    assertThat(conf.getConf(0).getLayer().getIDropout()).isNull();
    assertThat(((Dropout) conf.getConf(1).getLayer().getIDropout()).getP()).isEqualTo(0.8);
    assertThat(((Dropout) conf.getConf(2).getLayer().getIDropout()).getP()).isEqualTo(0.8);
  }

  @Test
  void shouldPutClippingAndWeightDecayOnEveryLayer() {
    NetworkOptions options =
        new NetworkOptions(
            new Adam(0.01), 0, 0, 1e-4, GradientNormalization.ClipL2PerLayer, 2.5, 42);
    MultiLayerConfiguration conf =
        MultiLayerConfiguration.fromJson(builder.build(spec(0.0), 4, 3, options).toJson());

    for (int i = 0; i < 3; i++) {
      BaseLayer layer = (BaseLayer) conf.getConf(i).getLayer();
      assertThat(layer.getGradientNormalization()).isEqualTo(GradientNormalization.ClipL2PerLayer);
      assertThat(layer.getGradientNormalizationThreshold()).isEqualTo(2.5);
      assertThat(layer.getRegularization()).containsExactly(new WeightDecay(1e-4, true));
    }
  }
}
