package io.deeptrain.compute;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Switches DL4J's layer helpers (oneDNN on CPU, cuDNN on CUDA) on and checks that they attach.
 *
 * <p>DL4J reads {@link #HELPERS_DISABLED} ("true" when unset) each time a layer is built, in {@code
 * HelperUtils.createHelper}, so it must be set before the first network is built, not before ND4J
 * loads. The oneDNN gate also needs {@code org.nd4j.nativeblas.Nd4jCpu}, the shim in this project.
 */
final class OneDnn {

  static final String HELPERS_DISABLED = "org.eclipse.deeplearning4j.helpers.disable";

  private OneDnn() {}

  /**
   * Turns helpers on unless someone set the property explicitly (e.g. to rule out a helper bug).
   */
  static void enableLayerHelpers() {
    if (System.getProperty(HELPERS_DISABLED) == null) {
      System.setProperty(HELPERS_DISABLED, "false");
    }
  }

  static boolean layerHelpersEnabled() {
    return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLED, "true"));
  }

  /** DL4J's own gate for its oneDNN helpers: CPU backend, helpers allowed, oneDNN built and on. */
  static boolean enabled() {
    return BaseMKLDNNHelper.mklDnnEnabled();
  }

  /**
   * Builds a tiny conv + pool + batch-norm network, runs one forward pass through it and returns
   * the simple class names of the helpers that stayed attached, in layer order.
   */
  static List<String> probeAttachedHelpers() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .dataType(DataType.FLOAT)
            .list()
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build())
            .layer(
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(2, 2)
                    .stride(2, 2)
                    .build())
            .layer(new BatchNormalization.Builder().build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(6, 6, 1))
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    // A helper that fails at run time is dropped by DL4J, so look after one real pass.
    try (var input = Nd4j.rand(DataType.FLOAT, 1, 1, 6, 6);
        var output = net.output(input)) {
      return Arrays.stream(net.getLayers())
          .map(Layer::getHelper)
          .filter(Objects::nonNull)
          .map(helper -> helper.getClass().getSimpleName())
          .toList();
    } finally {
      net.close();
    }
  }
}
