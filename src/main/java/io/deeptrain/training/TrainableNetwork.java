package io.deeptrain.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The few operations the training loop needs, over DL4J's two network kinds: a {@link
 * MultiLayerNetwork} for a plain stack (MLP) and a {@link ComputationGraph} for anything with
 * branches (CNNs with residual blocks).
 */
interface TrainableNetwork extends AutoCloseable {

  /** Media type of the serialised artifact; inference picks the loader by it. */
  String MULTI_LAYER = "application/vnd.deeplearning4j.multilayernetwork+zip";

  String GRAPH = "application/vnd.deeplearning4j.computationgraph+zip";

  void fit(INDArray features, INDArray labels);

  /** The last minibatch's loss, already computed by {@link #fit}. */
  double score();

  INDArray output(INDArray features);

  /**
   * Loss on one batch at the current parameters, leaving its gradient (without L1/L2) in {@link
   * #gradient()}; parameters and counters do not change. For optimizers that need more than one
   * gradient per step (SGD-G2).
   */
  double computeGradient(INDArray features, INDArray labels);

  /** All parameters, flattened: a live view, so writes change the network. */
  INDArray params();

  /** The gradient of the last {@link #computeGradient}, flattened: a live view. */
  INDArray gradient();

  /**
   * One step from what {@link #gradient()} holds now: DL4J's updater (clipping, L1/L2, weight
   * decay, the configured rule) turns it into an update in place, then {@code params -= scale *
   * update}; the iteration count advances as after {@link #fit}.
   */
  void applyUpdate(double scale, int batchSize);

  /** Drops the references to the last batch and activations. */
  void clear();

  int iterationCount();

  int epochCount();

  void incrementEpochCount();

  long parameterCount();

  String mediaType();

  /** The model without updater state: the artifact serves inference. */
  byte[] serialize();

  /** The model with its updater state and counters, to continue training from. */
  byte[] checkpoint();

  @Override
  void close();

  /** A network saved by {@link #checkpoint()}, ready to train on. */
  static TrainableNetwork restore(byte[] zip, String mediaType) throws IOException {
    if (GRAPH.equals(mediaType)) {
      return of(ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), true));
    }
    if (MULTI_LAYER.equals(mediaType)) {
      return of(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), true));
    }
    throw new IOException("unknown network media type " + mediaType);
  }

  private static byte[] write(Model net, boolean withUpdater) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(net, bytes, withUpdater);
    } catch (IOException e) {
      throw new TrainingFailedException("the trained model could not be serialised", e);
    }
    return bytes.toByteArray();
  }

  static TrainableNetwork of(MultiLayerNetwork net) {
    return new TrainableNetwork() {
      public void fit(INDArray f, INDArray l) {
        net.fit(f, l);
      }

      public double score() {
        return net.score();
      }

      public INDArray output(INDArray f) {
        return net.output(f, false);
      }

      public double computeGradient(INDArray f, INDArray l) {
        net.setInput(f);
        net.setLabels(l);
        net.computeGradientAndScore();
        return net.score();
      }

      public INDArray params() {
        return net.params();
      }

      public INDArray gradient() {
        return net.gradient().gradient();
      }

      public void applyUpdate(double scale, int batchSize) {
        int iteration = net.getIterationCount();
        step(
            (BaseMultiLayerUpdater<?>) net.getUpdater(),
            net.gradient(),
            net.params(),
            scale,
            iteration,
            net.getEpochCount(),
            batchSize);
        net.setIterationCount(iteration + 1);
      }

      public void clear() {
        net.clear();
      }

      public int iterationCount() {
        return net.getIterationCount();
      }

      public int epochCount() {
        return net.getEpochCount();
      }

      public void incrementEpochCount() {
        net.incrementEpochCount();
      }

      public long parameterCount() {
        return net.numParams();
      }

      public String mediaType() {
        return MULTI_LAYER;
      }

      public byte[] serialize() {
        return write(net, false);
      }

      public byte[] checkpoint() {
        return write(net, true);
      }

      public void close() {
        net.close();
      }
    };
  }

  static TrainableNetwork of(ComputationGraph net) {
    return new TrainableNetwork() {
      public void fit(INDArray f, INDArray l) {
        net.fit(new INDArray[] {f}, new INDArray[] {l});
      }

      public double score() {
        return net.score();
      }

      public INDArray output(INDArray f) {
        return net.outputSingle(false, f);
      }

      public double computeGradient(INDArray f, INDArray l) {
        net.setInputs(f);
        net.setLabels(l);
        net.computeGradientAndScore();
        return net.score();
      }

      public INDArray params() {
        return net.params();
      }

      public INDArray gradient() {
        return net.gradient().gradient();
      }

      public void applyUpdate(double scale, int batchSize) {
        int iteration = net.getIterationCount();
        step(
            net.getUpdater(),
            net.gradient(),
            net.params(),
            scale,
            iteration,
            net.getEpochCount(),
            batchSize);
        net.getConfiguration().setIterationCount(iteration + 1);
      }

      public void clear() {
        net.clear();
      }

      public int iterationCount() {
        return net.getIterationCount();
      }

      public int epochCount() {
        return net.getEpochCount();
      }

      public void incrementEpochCount() {
        net.incrementEpochCount();
      }

      public long parameterCount() {
        return net.numParams();
      }

      public String mediaType() {
        return GRAPH;
      }

      public byte[] serialize() {
        return write(net, false);
      }

      public byte[] checkpoint() {
        return write(net, true);
      }

      public void close() {
        net.close();
      }
    };
  }

  /**
   * DL4J's updater turns the gradient into an update in place; the blocks with a real optimizer are
   * scaled, while NoOp blocks (batch-norm running statistics, whose "gradient" is the exact change
   * to apply) are applied whole, as {@code fit} would.
   */
  private static void step(
      BaseMultiLayerUpdater<?> updater,
      Gradient gradient,
      INDArray params,
      double scale,
      int iteration,
      int epoch,
      int batchSize) {
    updater.update(gradient, iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
    INDArray update = gradient.gradient().reshape(gradient.gradient().length());
    for (UpdaterBlock block : updater.getUpdaterBlocks()) {
      if (!(block.getGradientUpdater().getConfig() instanceof NoOp)) {
        update
            .get(NDArrayIndex.interval(block.getParamOffsetStart(), block.getParamOffsetEnd()))
            .muli(scale);
      }
    }
    params.subi(gradient.gradient());
  }
}
