package io.deeptrain.inference;

import io.deeptrain.generative.GenerativeModel;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.model.TextGenerator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model version with its network in memory: either DL4J network kind, or a generative model
 * (SameDiff). A network serves one request at a time (DL4J's output is synchronized); later a
 * micro-batcher per model merges concurrent requests.
 */
final class LoadedModel {

  private final ModelVersion version;
  private final MultiLayerNetwork multiLayer;
  private final ComputationGraph graph;
  private final GenerativeModel generative;

  LoadedModel(ModelVersion version, MultiLayerNetwork network) {
    this(version, network, null, null);
  }

  LoadedModel(ModelVersion version, ComputationGraph graph) {
    this(version, null, graph, null);
  }

  LoadedModel(GenerativeModel generative) {
    this(generative.version(), null, null, generative);
  }

  private LoadedModel(
      ModelVersion version,
      MultiLayerNetwork multiLayer,
      ComputationGraph graph,
      GenerativeModel generative) {
    this.version = version;
    this.multiLayer = multiLayer;
    this.graph = graph;
    this.generative = generative;
  }

  /** The generative model, or null for a classifier, language model or forecaster. */
  GenerativeModel generative() {
    return generative;
  }

  /** The DL4J network (either kind), or null for a generative model. */
  org.deeplearning4j.nn.api.Model network() {
    return multiLayer != null ? multiLayer : graph;
  }

  ModelVersion version() {
    return version;
  }

  /** Graphs (CNNs) take [n, c, h, w]; a multi-layer network (MLP) takes flat rows. */
  boolean acceptsImages() {
    return graph != null;
  }

  /**
   * Generated text for a language model. Generation keeps RNN state in the network, so it holds the
   * network for the whole completion.
   */
  String complete(int[] prompt, int length, double temperature, Integer topK, long seed) {
    synchronized (multiLayer) {
      return TextGenerator.complete(
          multiLayer, version.labels(), prompt, length, temperature, topK, seed);
    }
  }

  /** Class probabilities for a batch in inference mode. */
  INDArray output(INDArray features) {
    if (generative != null) {
      throw new IllegalStateException("model " + version.id() + " is generative: no class output");
    }
    return multiLayer != null
        ? multiLayer.output(features, false)
        : graph.outputSingle(false, features);
  }
}
