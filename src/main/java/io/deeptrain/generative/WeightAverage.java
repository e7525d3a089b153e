package io.deeptrain.generative;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of a graph's trainable weights, the weights a diffusion model
 * samples with (Ho et al. 2020): the last step's weights carry the noise of the last mini-batches,
 * which the sampler compounds over its steps. The averages live in the graph as constants named
 * {@code <weight>_ema}, so an epoch checkpoint holds them and a resumed run continues exactly.
 *
 * <p>The decay warms up as min({@value #MAX_DECAY}, (1 + i)/(10 + i)) at iteration i, so a short
 * run is not dominated by its random initial weights.
 */
final class WeightAverage {

  static final String SUFFIX = "_ema";
  static final double MAX_DECAY = 0.999;

  private final SameDiff graph;
  private final List<String> names = new ArrayList<>();

  private WeightAverage(SameDiff graph) {
    this.graph = graph;
  }

  /** The graph's averages, created from the current weights if the graph has none yet. */
  static WeightAverage of(SameDiff graph) {
    WeightAverage average = new WeightAverage(graph);
    for (SDVariable v : new ArrayList<>(graph.variables())) {
      if (v.getVariableType() == VariableType.VARIABLE) {
        average.names.add(v.name());
        if (!graph.hasVariable(v.name() + SUFFIX)) {
          graph.constant(v.name() + SUFFIX, v.getArr().dup());
        }
      }
    }
    return average;
  }

  /** After the step of iteration {@code iteration} (1-based). */
  void update(long iteration) {
    double decay = Math.min(MAX_DECAY, (1.0 + iteration) / (10.0 + iteration));
    for (String name : names) {
      INDArray weights = graph.getArrForVarName(name);
      INDArray average = graph.getArrForVarName(name + SUFFIX);
      average.muli(decay);
      try (INDArray step = weights.mul(1 - decay)) {
        average.addi(step);
      }
    }
  }

  /** {@code work} run with the averaged weights in place of the trained ones. */
  <T> T with(Supplier<T> work) {
    swap();
    try {
      return work.get();
    } finally {
      swap();
    }
  }

  /** Exchanges weights and averages (twice restores both). */
  void swap() {
    for (String name : names) {
      INDArray weights = graph.getArrForVarName(name);
      INDArray average = graph.getArrForVarName(name + SUFFIX);
      try (INDArray kept = weights.dup()) {
        weights.assign(average);
        average.assign(kept);
      }
    }
  }
}
