package io.deeptrain.model;

import io.deeptrain.spec.Activation;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.springframework.stereotype.Component;

/**
 * Turns an {@link MlpSpec} into a DL4J configuration: the spec's dense hidden layers, then a
 * softmax output layer over the dataset's classes trained with multi-class cross-entropy.
 */
@Component
public class MlpBuilder {

  /**
   * @param inputs features per row
   * @param classes output units
   * @param options updater, regularisation, clipping and seed shared by every layer
   */
  public MultiLayerConfiguration build(
      MlpSpec spec, int inputs, int classes, NetworkOptions options) {
    double dropout = spec.dropoutOrDefault();
    NeuralNetConfiguration.ListBuilder layers =
        options.apply(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)).list();
    int in = inputs;
    int index = 0;
    for (DenseLayerSpec layer : spec.layers()) {
      Activation activation = layer.activationOrDefault();
      DenseLayer.Builder dense =
          new DenseLayer.Builder()
              .nIn(in)
              .nOut(layer.units())
              .activation(activation(activation))
              .weightInit(weightInit(activation));
      // Dropout acts on a layer's input; the raw features of the first layer are left alone
      // (dropping 1 of iris's 4 measurements loses a quarter of the signal).
      if (dropout > 0 && index > 0) {
        dense.dropOut(1.0 - dropout); // DL4J takes the probability of KEEPING a unit
      }
      layers.layer(dense.build());
      in = layer.units();
      index++;
    }
    OutputLayer.Builder output =
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(in)
            .nOut(classes)
            .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
            .weightInit(WeightInit.XAVIER);
    if (dropout > 0 && index > 0) {
      output.dropOut(1.0 - dropout);
    }
    return options.finish(layers.layer(output.build()).build());
  }

  static org.nd4j.linalg.activations.Activation activation(Activation activation) {
    return switch (activation) {
      case RELU -> org.nd4j.linalg.activations.Activation.RELU;
      case LEAKYRELU -> org.nd4j.linalg.activations.Activation.LEAKYRELU;
      case ELU -> org.nd4j.linalg.activations.Activation.ELU;
      case SELU -> org.nd4j.linalg.activations.Activation.SELU;
      case GELU -> org.nd4j.linalg.activations.Activation.GELU;
      case SWISH -> org.nd4j.linalg.activations.Activation.SWISH;
      case TANH -> org.nd4j.linalg.activations.Activation.TANH;
      case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
      case SOFTPLUS -> org.nd4j.linalg.activations.Activation.SOFTPLUS;
      case IDENTITY -> org.nd4j.linalg.activations.Activation.IDENTITY;
    };
  }

  /** He initialisation keeps ReLU-like layers' variance; Xavier suits symmetric activations. */
  static WeightInit weightInit(Activation activation) {
    return switch (activation) {
      case RELU, LEAKYRELU, ELU, GELU, SWISH -> WeightInit.RELU;
      case SELU -> WeightInit.LECUN_NORMAL;
      case TANH, SIGMOID, SOFTPLUS, IDENTITY -> WeightInit.XAVIER;
    };
  }
}
