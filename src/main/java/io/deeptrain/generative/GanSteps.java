package io.deeptrain.generative;

import io.deeptrain.spec.GanSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One training step of a GAN graph ({@link GanGraph#training}): a gradient pass for both losses,
 * then an Adam step per network with that network's own learning rate and beta1.
 *
 * <p>SameDiff's {@code fit} applies one updater to every variable, so the two networks could not
 * have their own Adam settings (scaling a loss does not help: Adam is invariant to gradient scale).
 * This step takes the gradients from {@code calculateGradientsAndOutputs} and applies ND4J's own
 * {@link AdamUpdater} per parameter, its moments living in the graph's {@code adam_m/}/{@code
 * adam_v/} constants, so the graph alone is the whole training state. Adam's step counts are not
 * stored: they follow from the iteration (one discriminator step per iteration, a generator step
 * every k-th).
 */
final class GanSteps {

  /** Weight of the newest batch in the generator's running batch-norm statistics. */
  static final double RUNNING_MOMENTUM = 0.1;

  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  /** A step's figures, measured in training mode before the update. */
  record Result(double dLoss, double gLoss, double dReal, double dFake) {

    /** What the graph minimises: the sum of both losses. */
    double loss() {
      return dLoss + gLoss;
    }

    boolean finite() {
      return Double.isFinite(dLoss) && Double.isFinite(gLoss);
    }
  }

  private final SameDiff sd;
  private final int discriminatorSteps;
  private final List<String> generatorParams;
  private final List<String> discriminatorParams;
  private final List<String> allParams;
  private final Map<String, GradientUpdater<?>> updaters = new HashMap<>();
  private final List<String> outputs = new ArrayList<>();
  private final List<String> batchNorms;
  private long iteration;

  /**
   * @param iteration iterations already trained (0 for a new graph, the checkpoint's on resume)
   */
  GanSteps(SameDiff sd, GanSpec spec, long iteration) {
    this.sd = sd;
    this.discriminatorSteps = spec.discriminatorStepsOrDefault();
    this.iteration = iteration;
    this.generatorParams = GanGraph.params(sd, GanGraph.GENERATOR);
    this.discriminatorParams = GanGraph.params(sd, GanGraph.DISCRIMINATOR);
    this.allParams = new ArrayList<>(generatorParams);
    allParams.addAll(discriminatorParams);
    attach(generatorParams, spec.generatorOrDefault());
    attach(discriminatorParams, spec.discriminatorOrDefault());
    this.batchNorms = GanGraph.batchNorms(sd);
    outputs.addAll(List.of(GanGraph.D_LOSS, GanGraph.G_LOSS, GanGraph.D_REAL, GanGraph.D_FAKE));
    for (String bn : batchNorms) {
      outputs.add(GanGraph.BATCH_MEAN + bn);
      outputs.add(GanGraph.BATCH_VAR + bn);
    }
  }

  private void attach(List<String> params, GanSpec.Network network) {
    Adam adam = new Adam(network.learningRateOrDefault(), network.beta1OrDefault(), BETA2, EPSILON);
    for (String p : params) {
      Map<String, INDArray> state = new HashMap<>();
      state.put(AdamUpdater.M_STATE, sd.getArrForVarName(GanGraph.ADAM_M + p));
      state.put(AdamUpdater.V_STATE, sd.getArrForVarName(GanGraph.ADAM_V + p));
      updaters.put(p, adam.instantiate(state, false));
    }
  }

  /** Iterations trained so far. */
  long iteration() {
    return iteration;
  }

  /** Whether the next iteration also steps the generator (every k-th iteration). */
  boolean nextStepsGenerator() {
    return (iteration + 1) % discriminatorSteps == 0;
  }

  /**
   * One iteration: the discriminator learns from {@code real} against G({@code noise}); every k-th
   * iteration the generator learns from the same fakes.
   */
  Result step(INDArray real, INDArray noise, int epoch) {
    boolean generator = nextStepsGenerator();
    Map<String, INDArray> feed = Map.of(GanGraph.REAL, real, GanGraph.NOISE, noise);
    OutAndGrad r =
        sd.calculateGradientsAndOutputs(feed, outputs, generator ? allParams : discriminatorParams);
    Map<String, INDArray> out = r.getOutputs();
    Result result =
        new Result(
            out.get(GanGraph.D_LOSS).getDouble(0),
            out.get(GanGraph.G_LOSS).getDouble(0),
            out.get(GanGraph.D_REAL).getDouble(0),
            out.get(GanGraph.D_FAKE).getDouble(0));
    if (!result.finite()) {
      return result;
    }
    long dCount = iteration;
    long gCount = iteration / discriminatorSteps;
    apply(discriminatorParams, r.getGradients(), dCount, epoch);
    if (generator) {
      apply(generatorParams, r.getGradients(), gCount, epoch);
      for (String bn : batchNorms) {
        average(GanGraph.RUNNING_MEAN + bn, out.get(GanGraph.BATCH_MEAN + bn));
        average(GanGraph.RUNNING_VAR + bn, out.get(GanGraph.BATCH_VAR + bn));
      }
    }
    iteration++;
    return result;
  }

  private void apply(List<String> params, Map<String, INDArray> gradients, long count, int epoch) {
    for (String p : params) {
      INDArray g = gradients.get(p);
      updaters.get(p).applyUpdater(g, (int) count, epoch);
      sd.getArrForVarName(p).subi(g);
    }
  }

  private void average(String running, INDArray batch) {
    INDArray r = sd.getArrForVarName(running);
    r.muli(1 - RUNNING_MOMENTUM).addi(batch.reshape(r.shape()).mul(RUNNING_MOMENTUM));
  }
}
