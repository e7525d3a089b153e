package io.deeptrain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deeptrain.spec.Activation;
import io.deeptrain.spec.CnnLayer;
import io.deeptrain.spec.CnnSpec;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.Padding;
import io.deeptrain.spec.SpecGeometry;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class CnnBuilderTests {

  private final SpecGeometry geometry = new SpecGeometry();
  private final CnnBuilder builder = new CnnBuilder(geometry);

  @BeforeAll
  static void enableLayerHelpersAsTheServiceDoes() {
    // What compute.OneDnn.enableLayerHelpers() does at startup; it must precede the first build.
    if (System.getProperty("org.eclipse.deeplearning4j.helpers.disable") == null) {
      System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
    }
  }

  static CnnLayer conv(int filters, int kernel) {
    return new CnnLayer.Conv2d(filters, kernel, null, null, Activation.RELU);
  }

  static CnnLayer pool() {
    return new CnnLayer.MaxPool(2, null, null);
  }

  static CnnSpec tutorial() {
    return new CnnSpec(
        List.of(
            conv(32, 3),
            pool(),
            conv(64, 3),
            pool(),
            conv(64, 3),
            new CnnLayer.Flatten(),
            new CnnLayer.Dense(64, Activation.RELU)));
  }

  static CnnSpec residualNet() {
    return new CnnSpec(
        List.of(
            new CnnLayer.Conv2d(16, 3, 1, Padding.SAME, null),
            new CnnLayer.BatchNorm(),
            new CnnLayer.Residual(16, null, null, null, null),
            new CnnLayer.Residual(32, 3, 2, Activation.RELU, true),
            new CnnLayer.Residual(32, 3, 1, Activation.ELU, false),
            new CnnLayer.AvgPool(2, 1, Padding.SAME),
            new CnnLayer.Dropout(0.25),
            new CnnLayer.GlobalAvgPool(),
            new CnnLayer.BatchNorm(),
            new CnnLayer.Dense(10, Activation.TANH)));
  }

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of("tutorial on CIFAR", tutorial(), List.of(3, 32, 32), 10),
        Arguments.of("residual on MNIST", residualNet(), List.of(1, 28, 28), 10),
        Arguments.of(
            "strided SAME conv, flatten, batch norm on a vector",
            new CnnSpec(
                List.of(
                    new CnnLayer.Conv2d(8, 5, 2, Padding.SAME, Activation.SELU),
                    new CnnLayer.MaxPool(3, 2, Padding.SAME),
                    new CnnLayer.Flatten(),
                    new CnnLayer.BatchNorm(),
                    new CnnLayer.Dropout(0.0))),
            List.of(3, 17, 13),
            4),
        Arguments.of(
            "conv map straight into the output layer",
            new CnnSpec(List.of(conv(4, 3), new CnnLayer.Residual(4, 1, 1, null, true))),
            List.of(2, 9, 9),
            3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void shouldCountParametersExactlyAsDl4jDoes(
      String label, CnnSpec spec, List<Integer> input, int classes) {
    SpecGeometry.Plan plan = geometry.plan(spec, null, input, classes, "spec");
    ComputationGraph net = graph(spec, input, classes);
    try {
      assertThat(plan.totalParams()).isEqualTo(net.numParams());
      for (SpecGeometry.LayerShape row : plan.layers()) {
        if (!row.kind().equals("Residual") && net.getLayer(row.name()) != null) {
          assertThat(net.getLayer(row.name()).numParams()).as(row.name()).isEqualTo(row.params());
        }
      }
    } finally {
      net.close();
    }
  }

  @Test
  void shouldCountMlpParametersAsDl4jDoes() {
    MlpSpec mlp =
        new MlpSpec(List.of(new DenseLayerSpec(16, null), new DenseLayerSpec(8, null)), 0.1);
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new MlpBuilder().build(mlp, 784, 10, NetworkOptions.of(new Adam(0.01), 0, 0, 1)));
    net.init();
    assertThat(geometry.plan(mlp, null, List.of(1, 28, 28), 10, "spec").totalParams())
        .isEqualTo(net.numParams());
    net.close();
  }

  @Test
  void shouldTrainAResidualNetworkOnAnImageBatchAndPredictEveryClass() {
    ComputationGraph net = graph(residualNet(), List.of(1, 28, 28), 10);
    try (INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 10)) {
      for (int i = 0; i < 8; i++) {
        y.putScalar(i, i % 10, 1f);
      }
      net.fit(new INDArray[] {x}, new INDArray[] {y});
      assertThat(net.score()).isFinite().isPositive();
      try (INDArray out = net.outputSingle(false, x)) {
        assertThat(out.shape()).containsExactly(8, 10);
        for (double rowSum : out.sum(1).toDoubleVector()) {
          assertThat(rowSum).isCloseTo(1.0, within(1e-4));
        }
      }
    } finally {
      net.close();
    }
  }

  @Test
  void shouldAttachOneDnnHelpersToConvolutionPoolingAndBatchNorm() {
    ComputationGraph net = graph(residualNet(), List.of(1, 28, 28), 10);
    try (INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28);
        INDArray out = net.outputSingle(false, x)) {
      List<String> helpers =
          Stream.of(
                  "conv2d",
                  "batch_normalization",
                  "residual/conv_a",
                  "residual/bn_a",
                  "average_pooling2d")
              .map(net::getLayer)
              .map(Layer::getHelper)
              .map(h -> h == null ? "none" : h.getClass().getSimpleName())
              .toList();
      assertThat(helpers)
          .containsExactly(
              "MKLDNNConvHelper",
              "MKLDNNBatchNormHelper",
              "MKLDNNConvHelper",
              "MKLDNNBatchNormHelper",
              "MKLDNNSubsamplingHelper");
    } finally {
      net.close();
    }
  }

  private ComputationGraph graph(CnnSpec spec, List<Integer> input, int classes) {
    ComputationGraphConfiguration conf =
        builder.build(spec, input, classes, NetworkOptions.of(new Adam(1e-3), 0, 1e-4, 42));
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }

  @Test
  void shouldClipEveryLayerOfTheGraphByValue() {
    ComputationGraphConfiguration conf =
        builder.build(
            tutorial(),
            List.of(3, 32, 32),
            10,
            new NetworkOptions(
                new Adam(1e-3),
                0,
                0,
                0,
                GradientNormalization.ClipElementWiseAbsoluteValue,
                0.5,
                42));
    org.deeplearning4j.nn.conf.layers.BaseLayer conv =
        (org.deeplearning4j.nn.conf.layers.BaseLayer)
            ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get("conv2d"))
                .getLayerConf()
                .getLayer();
    assertThat(conv.getGradientNormalization())
        .isEqualTo(GradientNormalization.ClipElementWiseAbsoluteValue);
    assertThat(conv.getGradientNormalizationThreshold()).isEqualTo(0.5);
    assertThat(conv.getRegularization()).isEmpty();
  }
}
