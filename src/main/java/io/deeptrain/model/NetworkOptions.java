package io.deeptrain.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What every layer of a built network shares: the updater and its regularisation, clipping and
 * seed. One record so that the builders' signatures stay put when an option is added.
 *
 * @param l1 L1 penalty on weights (not biases)
 * @param l2 L2 penalty on weights (not biases)
 * @param weightDecay decoupled weight decay on weights, scaled by the learning rate; 0 for none
 * @param clipping gradient clipping, {@link GradientNormalization#None} for none
 * @param clipThreshold the norm or absolute value {@code clipping} clips to
 * @param seed weight initialisation seed
 */
public record NetworkOptions(
    IUpdater updater,
    double l1,
    double l2,
    double weightDecay,
    GradientNormalization clipping,
    double clipThreshold,
    long seed) {

  /** An updater with L1/L2 only and no clipping. */
  public static NetworkOptions of(IUpdater updater, double l1, double l2, long seed) {
    return new NetworkOptions(updater, l1, l2, 0, GradientNormalization.None, 1.0, seed);
  }

  /** The shared part of a configuration. */
  NeuralNetConfiguration.Builder apply(NeuralNetConfiguration.Builder builder) {
    builder.seed(seed).updater(updater).l1(l1).l2(l2);
    // weightDecay(0) would still remove an L2 term, so only set it when it is used.
    if (weightDecay > 0) {
      builder.weightDecay(weightDecay);
    }
    if (clipping != GradientNormalization.None) {
      builder.gradientNormalization(clipping).gradientNormalizationThreshold(clipThreshold);
    }
    return builder;
  }

  /**
   * DL4J 1.0.0-M2.1 puts a builder-wide weight decay into each layer's list twice, which would
   * decay at twice the rate; keep one of each term.
   */
  MultiLayerConfiguration finish(MultiLayerConfiguration conf) {
    conf.getConfs().forEach(c -> distinctTerms(c.getLayer()));
    return conf;
  }

  /** As {@link #finish(MultiLayerConfiguration)}, for a graph. */
  ComputationGraphConfiguration finish(ComputationGraphConfiguration conf) {
    conf.getVertices().values().stream()
        .filter(LayerVertex.class::isInstance)
        .forEach(v -> distinctTerms(((LayerVertex) v).getLayerConf().getLayer()));
    return conf;
  }

  private static void distinctTerms(Layer layer) {
    if (layer instanceof BaseLayer base && base.getRegularization() != null) {
      base.setRegularization(new ArrayList<>(new LinkedHashSet<>(base.getRegularization())));
    }
  }
}
