package io.deeptrain.model;

import io.deeptrain.spec.Activation;
import io.deeptrain.spec.CnnLayer;
import io.deeptrain.spec.CnnSpec;
import io.deeptrain.spec.Padding;
import io.deeptrain.spec.SpecGeometry;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.springframework.stereotype.Component;

/**
 * Turns a {@link CnnSpec} into a DL4J {@link ComputationGraphConfiguration} (a graph, because
 * residual blocks branch): NCHW input named {@code input}, one vertex per spec layer named as in
 * {@link SpecGeometry} ({@code conv2d}, {@code max_pooling2d_1}, ...), then a softmax output layer
 * over the classes trained with multi-class cross-entropy. A residual block named {@code residual}
 * has inner vertices {@code residual/conv_a}, {@code residual/bn_a}, ... and its output is the
 * vertex {@code residual} itself.
 */
@Component
public class CnnBuilder {

  /** Vertex that takes the images. */
  public static final String INPUT = "input";

  private final SpecGeometry geometry;

  public CnnBuilder(SpecGeometry geometry) {
    this.geometry = geometry;
  }

  /**
   * @param inputShape one image as [channels, height, width]
   * @param classes output units
   * @param options updater, regularisation, clipping and seed shared by every layer
   * @throws IllegalArgumentException if the spec does not fit the input; check it with {@link
   *     SpecGeometry#check} at submission
   */
  public ComputationGraphConfiguration build(
      CnnSpec spec, List<Integer> inputShape, int classes, NetworkOptions options) {
    SpecGeometry.Plan plan = geometry.plan(spec, null, inputShape, classes, "spec");
    if (!plan.fits()) {
      throw new IllegalArgumentException("spec does not fit the input: " + plan.violations());
    }
    ComputationGraphConfiguration.GraphBuilder graph =
        options
            .apply(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT))
            .graphBuilder()
            .addInputs(INPUT)
            .setInputTypes(
                InputType.convolutional(inputShape.get(1), inputShape.get(2), inputShape.get(0)));
    String previous = INPUT;
    List<Integer> shape = inputShape;
    List<SpecGeometry.LayerShape> placed = plan.layers();
    for (int i = 0; i < spec.layers().size(); i++) {
      String name = placed.get(i).name();
      add(graph, spec.layers().get(i), name, previous, shape);
      previous = name;
      shape = placed.get(i).outputShape();
    }
    String output = placed.get(placed.size() - 1).name();
    graph.addLayer(
        output,
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nOut(classes)
            .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
            .weightInit(WeightInit.XAVIER)
            .build(),
        previous);
    return options.finish(graph.setOutputs(output).build());
  }

  private static void add(
      ComputationGraphConfiguration.GraphBuilder graph,
      CnnLayer layer,
      String name,
      String previous,
      List<Integer> inShape) {
    if (layer instanceof CnnLayer.Conv2d c) {
      graph.addLayer(
          name,
          conv(
              c.filters(),
              c.kernelSize(),
              c.strideOrDefault(),
              mode(c.paddingOrDefault()),
              c.activationOrDefault(),
              c.activationOrDefault()),
          previous);
    } else if (layer instanceof CnnLayer.Pool p) {
      SubsamplingLayer.Builder pool =
          new SubsamplingLayer.Builder(
                  p instanceof CnnLayer.MaxPool ? PoolingType.MAX : PoolingType.AVG)
              .kernelSize(p.sizeOrDefault(), p.sizeOrDefault())
              .stride(p.strideOrDefault(), p.strideOrDefault())
              .convolutionMode(mode(p.paddingOrDefault()))
              // Keras averages over the real pixels only.
              .avgPoolIncludePadInDivisor(false);
      graph.addLayer(name, pool.build(), previous);
    } else if (layer instanceof CnnLayer.BatchNorm) {
      graph.addLayer(name, new BatchNormalization.Builder().build(), previous);
    } else if (layer instanceof CnnLayer.Dropout d) {
      // DL4J takes the probability of KEEPING an input.
      graph.addLayer(name, new DropoutLayer.Builder(1.0 - d.rate()).build(), previous);
    } else if (layer instanceof CnnLayer.Flatten) {
      // An explicit vertex, so a BATCH_NORM or DROPOUT after it sees a vector, as in Keras.
      graph.addVertex(
          name,
          new PreprocessorVertex(
              new CnnToFeedForwardPreProcessor(inShape.get(1), inShape.get(2), inShape.get(0))),
          previous);
    } else if (layer instanceof CnnLayer.GlobalAvgPool) {
      graph.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
    } else if (layer instanceof CnnLayer.Dense d) {
      Activation activation = d.activationOrDefault();
      graph.addLayer(
          name,
          new DenseLayer.Builder()
              .nOut(d.units())
              .activation(MlpBuilder.activation(activation))
              .weightInit(MlpBuilder.weightInit(activation))
              .build(),
          previous);
    } else if (layer instanceof CnnLayer.Residual r) {
      residual(graph, r, name, previous, inShape.get(0));
    }
  }

  /**
   * conv_a (stride) → [bn_a] → activation → conv_b → [bn_b] → add(skip) → activation, where the
   * skip is the input, or proj (1x1, stride) → [proj_bn] when the channels or the stride change.
   */
  private static void residual(
      ComputationGraphConfiguration.GraphBuilder graph,
      CnnLayer.Residual r,
      String name,
      String previous,
      int inChannels) {
    int k = r.kernelSizeOrDefault();
    int s = r.strideOrDefault();
    Activation activation = r.activationOrDefault();
    boolean norm = r.batchNormOrDefault();
    String p = name + "/";

    // With batch norm the activation comes after it, so the convolution itself is linear.
    Activation first = norm ? Activation.IDENTITY : activation;
    graph.addLayer(
        p + "conv_a", conv(r.filters(), k, s, ConvolutionMode.Same, first, activation), previous);
    String main = p + "conv_a";
    if (norm) {
      graph.addLayer(
          p + "bn_a",
          new BatchNormalization.Builder().activation(MlpBuilder.activation(activation)).build(),
          main);
      main = p + "bn_a";
    }
    graph.addLayer(
        p + "conv_b",
        conv(r.filters(), k, 1, ConvolutionMode.Same, Activation.IDENTITY, activation),
        main);
    main = p + "conv_b";
    if (norm) {
      graph.addLayer(p + "bn_b", new BatchNormalization.Builder().build(), main);
      main = p + "bn_b";
    }
    String skip = previous;
    if (inChannels != r.filters() || s != 1) {
      graph.addLayer(
          p + "proj",
          conv(r.filters(), 1, s, ConvolutionMode.Same, Activation.IDENTITY, Activation.IDENTITY),
          previous);
      skip = p + "proj";
      if (norm) {
        graph.addLayer(p + "proj_bn", new BatchNormalization.Builder().build(), skip);
        skip = p + "proj_bn";
      }
    }
    graph.addVertex(p + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), main, skip);
    graph.addLayer(
        name,
        new ActivationLayer.Builder().activation(MlpBuilder.activation(activation)).build(),
        p + "add");
  }

  /**
   * @param initFor the activation that follows this convolution (perhaps after batch norm), which
   *     decides the weight initialisation
   */
  private static ConvolutionLayer conv(
      int filters,
      int kernel,
      int stride,
      ConvolutionMode mode,
      Activation activation,
      Activation initFor) {
    return new ConvolutionLayer.Builder(kernel, kernel)
        .stride(stride, stride)
        .nOut(filters)
        .convolutionMode(mode)
        .activation(MlpBuilder.activation(activation))
        .weightInit(MlpBuilder.weightInit(initFor))
        .build();
  }

  /** Keras VALID keeps whole windows only (DL4J Truncate); SAME pads to ceil(in / stride). */
  static ConvolutionMode mode(Padding padding) {
    return padding == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate;
  }
}
