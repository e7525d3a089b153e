package io.deeptrain.inference;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The fast gradient sign method (Goodfellow et al., 2015): x_adv = x + ε sign(∇x loss(x, y)),
 * clipped to the valid pixel range for images. One gradient evaluation, so it is cheap; it shows
 * how little an input must change for the model to change its mind.
 *
 * <p>The gradient is taken on a private copy of the network (the cached one keeps serving), with
 * dropout removed so the direction does not depend on a random mask. DL4J computes input gradients
 * in training mode, so a batch-normalisation layer normalises with the statistics of the one image
 * rather than its learned averages; the adversarial input is judged afterwards in inference mode,
 * which is what {@code fooled} reports.
 */
final class Fgsm {

  private Fgsm() {}

  /**
   * Gradient of the model's loss (cross-entropy against {@code labels}, one-hot [1, classes]) with
   * respect to {@code input}, same shape as the input. The caller closes it.
   */
  static INDArray inputGradient(Model network, INDArray input, INDArray labels) {
    if (network instanceof MultiLayerNetwork net) {
      MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
      conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
      conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
      MultiLayerNetwork copy = new MultiLayerNetwork(conf);
      synchronized (net) {
        copy.init(net.params().dup(), false);
      }
      withoutDropout(copy.getLayers());
      INDArray gradient = copy.calculateGradients(input, labels, null, null).getSecond().dup();
      copy.close();
      return gradient;
    }
    if (network instanceof ComputationGraph graph) {
      // Without workspaces the input vertex's epsilon stays valid to the end of the backward pass.
      ComputationGraphConfiguration conf = graph.getConfiguration().clone();
      conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
      conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
      ComputationGraph copy = new ComputationGraph(conf);
      synchronized (graph) {
        copy.init(graph.params().dup(), false);
      }
      withoutDropout(copy.getLayers());
      String inputName = copy.getConfiguration().getNetworkInputs().get(0);
      // The graph clears its vertices' epsilons before computeGradientAndScore returns; a
      // listener sees them between the backward pass and that clean-up.
      INDArray[] captured = new INDArray[1];
      copy.setListeners(
          new BaseTrainingListener() {
            @Override
            public void onBackwardPass(Model model) {
              INDArray epsilon = copy.getVertex(inputName).getEpsilon();
              captured[0] = epsilon == null ? null : epsilon.dup();
            }
          });
      copy.setInputs(input);
      copy.setLabels(labels);
      copy.computeGradientAndScore();
      INDArray epsilon = captured[0];
      if (epsilon == null) {
        throw new IllegalStateException("the network computed no gradient for its input");
      }
      INDArray gradient = epsilon.dup().reshape(input.shape());
      copy.close();
      return gradient;
    }
    throw new IllegalArgumentException("not a DL4J network: " + network.getClass().getName());
  }

  /**
   * x + ε sign(gradient); with {@code clip}, every value is then held to [0, 1] (pixels). A zero
   * gradient leaves its value unchanged. Returns a new array.
   */
  static INDArray perturb(INDArray input, INDArray gradient, double epsilon, boolean clip) {
    INDArray step = Transforms.sign(gradient, true).muli(epsilon);
    INDArray out = input.add(step.castTo(input.dataType()));
    step.close();
    if (clip) {
      Transforms.min(Transforms.max(out, 0.0, false), 1.0, false);
    }
    return out;
  }

  /** One-hot [1, classes] for {@code label}. */
  static INDArray oneHot(int label, int classes) {
    INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, classes);
    y.putScalar(0, label, 1.0);
    return y;
  }

  private static void withoutDropout(Layer[] layers) {
    for (Layer layer : layers) {
      layer.conf().getLayer().setIDropout(null);
    }
  }
}
