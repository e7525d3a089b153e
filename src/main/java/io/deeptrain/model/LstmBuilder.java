package io.deeptrain.model;

import io.deeptrain.spec.LstmSpec;
import java.util.List;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.springframework.stereotype.Component;

/**
 * Turns an {@link LstmSpec} into a DL4J {@link MultiLayerConfiguration} (a plain stack needs no
 * graph). Input is DL4J's recurrent layout [n, features, steps]. For one output per sequence the
 * last LSTM layer is wrapped in {@link LastTimeStep}, so the output layer and its labels are the
 * same 2-D [n, classes] as an MLP's and the training loop needs no change.
 */
@Component
public class LstmBuilder {

  /**
   * @param features features per step
   * @param outputs classes (CLASSIFICATION, LANGUAGE_MODEL) or predicted values (REGRESSION)
   * @param options updater, regularisation, clipping (worth setting for RNNs) and seed
   */
  public MultiLayerConfiguration build(
      LstmSpec spec, int features, int outputs, NetworkOptions options) {
    double dropout = spec.dropoutOrDefault();
    LstmSpec.Head head = spec.headOrDefault();
    NeuralNetConfiguration.ListBuilder list =
        options.apply(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)).list();
    int in = features;
    List<LstmSpec.LstmLayer> layers = spec.layers();
    for (int i = 0; i < layers.size(); i++) {
      int units = layers.get(i).units();
      LSTM.Builder lstm =
          new LSTM.Builder()
              .nIn(in)
              .nOut(units)
              .activation(Activation.TANH)
              .gateActivationFunction(Activation.SIGMOID)
              .weightInit(WeightInit.XAVIER)
              // A forget-gate bias of 1 keeps the cell's memory early in training.
              .forgetGateBiasInit(1.0);
      if (dropout > 0 && i > 0) {
        lstm.dropOut(1.0 - dropout); // DL4J takes the probability of KEEPING an input
      }
      Layer layer = lstm.build();
      int width = units;
      if (spec.bidirectionalOrDefault()) {
        layer = new Bidirectional(Bidirectional.Mode.CONCAT, layer);
        width = 2 * units;
      }
      if (i == layers.size() - 1 && head != LstmSpec.Head.LANGUAGE_MODEL) {
        layer = new LastTimeStep(layer);
      }
      list.layer(layer);
      in = width;
    }
    list.layer(output(head, in, outputs, dropout > 0 ? dropout : 0));
    if (spec.tbpttLength() != null) {
      list.backpropType(BackpropType.TruncatedBPTT)
          .tBPTTForwardLength(spec.tbpttLength())
          .tBPTTBackwardLength(spec.tbpttLength());
    }
    return options.finish(list.build());
  }

  private static Layer output(LstmSpec.Head head, int in, int outputs, double dropout) {
    var builder =
        switch (head) {
          case CLASSIFICATION ->
              new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                  .activation(Activation.SOFTMAX);
          case REGRESSION ->
              new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                  .activation(Activation.IDENTITY);
          case LANGUAGE_MODEL ->
              new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                  .activation(Activation.SOFTMAX);
        };
    builder.nIn(in).nOut(outputs).weightInit(WeightInit.XAVIER);
    if (dropout > 0) {
      builder.dropOut(1.0 - dropout);
    }
    return builder.build();
  }

  /**
   * Images [n, c, h, w] as the ROWS_AS_SEQUENCE input [n, c*w, h]: step t is row t, its features
   * the row's pixels channel by channel. Training and inference both go through here so they read
   * an image the same way. Returns a new array; the caller closes both.
   */
  public static INDArray rowsAsSequence(INDArray images) {
    long n = images.size(0);
    long c = images.size(1);
    long h = images.size(2);
    long w = images.size(3);
    try (INDArray swapped = images.permute(0, 1, 3, 2).dup('c')) {
      return swapped.reshape('c', n, c * w, h).dup('c');
    }
  }
}
