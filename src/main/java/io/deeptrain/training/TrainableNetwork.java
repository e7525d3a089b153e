package io.deeptrain.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

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
}
