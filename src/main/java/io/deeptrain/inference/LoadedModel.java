package io.deeptrain.inference;

import io.deeptrain.generative.GenerativeModel;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.model.TextGenerator;
import io.deeptrain.system.ApiException;
import java.util.Arrays;
import java.util.UUID;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model version in memory: a DL4J network (either kind) served through its own {@link
 * MicroBatcher}, or a generative model (SameDiff). Knows its estimated memory footprint and the
 * zero input its warm-up runs.
 */
final class LoadedModel {

  private final ModelVersion version;
  private final MultiLayerNetwork multiLayer;
  private final ComputationGraph graph;
  private final GenerativeModel generative;
  private final long fixedBytes;
  private final long[] warmUpShape;
  private volatile long workingBytes;
  private MicroBatcher batcher;
  private volatile boolean closed;

  private LoadedModel(
      ModelVersion version,
      MultiLayerNetwork multiLayer,
      ComputationGraph graph,
      GenerativeModel generative,
      long estimatedBytes,
      long[] warmUpShape) {
    this.version = version;
    this.multiLayer = multiLayer;
    this.graph = graph;
    this.generative = generative;
    this.fixedBytes = estimatedBytes;
    this.warmUpShape = warmUpShape;
  }

  static LoadedModel of(
      ModelVersion version, MultiLayerNetwork network, long bytes, long[] warmUpShape) {
    return new LoadedModel(version, network, null, null, bytes, warmUpShape);
  }

  static LoadedModel of(
      ModelVersion version, ComputationGraph graph, long bytes, long[] warmUpShape) {
    return new LoadedModel(version, null, graph, null, bytes, warmUpShape);
  }

  static LoadedModel of(GenerativeModel generative, long bytes) {
    return new LoadedModel(generative.version(), null, null, generative, bytes, null);
  }

  /** A model whose batches go to {@code network}: lets tests fake the network. */
  static LoadedModel ofBatcher(
      ModelVersion version, MicroBatcher batcher, long bytes, long[] warmUpShape) {
    LoadedModel model = new LoadedModel(version, null, null, null, bytes, warmUpShape);
    model.batcher = batcher;
    return model;
  }

  /** Starts this model's batcher (a DL4J network's only caller of {@code output}). */
  void serveWith(MicroBatcher batcher) {
    this.batcher = batcher;
  }

  /** The batch call the batcher makes, on its own thread, in inference mode. */
  MicroBatcher.Tensor batchOutput(MicroBatcher.Tensor input) {
    try (INDArray x = Nd4j.create(input.data(), input.shape(), 'c');
        INDArray out =
            multiLayer != null ? multiLayer.output(x, false) : graph.outputSingle(false, x)) {
      INDArray c = out.ordering() == 'c' ? out : out.dup('c');
      try {
        return new MicroBatcher.Tensor(c.data().asFloat(), c.shape());
      } finally {
        if (c != out) {
          c.close();
        }
        // What DL4J's inference workspaces on this thread now hold (they keep their peak size).
        long working = 0;
        for (var ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
          working += ws.getCurrentSize();
        }
        workingBytes = Math.max(workingBytes, working);
      }
    }
  }

  /** The generative model, or null for a classifier, language model or forecaster. */
  GenerativeModel generative() {
    return generative;
  }

  /** The DL4J network (either kind), or null for a generative model. */
  org.deeplearning4j.nn.api.Model network() {
    requireOpen();
    return multiLayer != null ? multiLayer : graph;
  }

  ModelVersion version() {
    return version;
  }

  UUID id() {
    return version == null ? null : version.id();
  }

  /**
   * The parameters (or the estimate given at load), plus the working memory the batcher's thread
   * measured in its workspaces; after warm-up that covers a batch of the largest size.
   */
  long estimatedBytes() {
    return fixedBytes + workingBytes;
  }

  /** Graphs (CNNs) take [n, c, h, w]; a multi-layer network (MLP) takes flat rows. */
  boolean acceptsImages() {
    return graph != null;
  }

  /**
   * Generated text for a language model. Generation keeps RNN state in the network, so it holds the
   * network for the whole completion (the batcher waits on the same lock).
   */
  String complete(int[] prompt, int length, double temperature, Integer topK, long seed) {
    synchronized (multiLayer) {
      requireOpen();
      return TextGenerator.complete(
          multiLayer, version.labels(), prompt, length, temperature, topK, seed);
    }
  }

  /** Outputs for {@code input} through the batcher; the caller closes the array. */
  INDArray output(INDArray features) {
    INDArray c = features.ordering() == 'c' ? features : features.dup('c');
    try {
      MicroBatcher.Tensor out = infer(new MicroBatcher.Tensor(c.data().asFloat(), c.shape()));
      return Nd4j.create(out.data(), out.shape(), 'c');
    } finally {
      if (c != features) {
        c.close();
      }
    }
  }

  /** Output rows for input rows, merged with other requests by the batcher. */
  MicroBatcher.Tensor infer(MicroBatcher.Tensor input) {
    if (batcher == null) {
      throw new IllegalStateException("model " + id() + " is generative: no class output");
    }
    return batcher.infer(input);
  }

  /**
   * Runs zeros of the input shape (as many rows as the largest batch, so that the workspaces reach
   * their working size) through the same path as requests; throws when it fails.
   */
  void warmUp() {
    if (warmUpShape == null) {
      return;
    }
    long size = Arrays.stream(warmUpShape).reduce(1, (a, b) -> a * b);
    infer(new MicroBatcher.Tensor(new float[(int) size], warmUpShape));
  }

  /**
   * Stops the batcher; once its queue has drained its thread frees the network's arrays. A request
   * still holding this model gets a 503 asking it to send again.
   */
  void close() {
    closed = true;
    if (batcher != null) {
      batcher.shutdown();
    }
  }

  /** Called by the batcher's thread after its last batch. */
  void release() {
    org.deeplearning4j.nn.api.Model net = multiLayer != null ? multiLayer : graph;
    if (net != null) {
      synchronized (net) {
        net.close();
      }
    }
  }

  boolean closed() {
    return closed;
  }

  MicroBatcher batcher() {
    return batcher;
  }

  private void requireOpen() {
    if (closed) {
      throw new ApiException(
              ApiException.Problem.MODEL_UNAVAILABLE,
              "model " + id() + " was unloaded while the request waited; send it again")
          .retryAfter(MicroBatcher.RETRY_SOON);
    }
  }
}
