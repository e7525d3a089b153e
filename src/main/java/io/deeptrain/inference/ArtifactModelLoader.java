package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.generative.GenerativeModels;
import io.deeptrain.generative.SameDiffArtifacts;
import io.deeptrain.model.ModelRegistry;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.system.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Restores a registered artifact (the media type says which DL4J network kind, or a SameDiff
 * graph), estimates its memory and starts its batcher.
 */
@Component
class ArtifactModelLoader implements ModelLoader {

  private static final Logger log = LoggerFactory.getLogger(ArtifactModelLoader.class);

  private final ModelRegistry registry;
  private final GenerativeModels generative;
  private final ComputeBackend compute;
  private final InferenceProperties props;

  ArtifactModelLoader(
      ModelRegistry registry,
      GenerativeModels generative,
      ComputeBackend compute,
      InferenceProperties props) {
    this.registry = registry;
    this.generative = generative;
    this.compute = compute;
    this.props = props;
  }

  @Override
  public LoadedModel load(UUID id) {
    ModelVersion version = registry.get(id);
    ModelRegistry.Artifact artifact = registry.artifact(version);
    long started = System.nanoTime();
    LoadedModel model;
    try {
      if (SameDiffArtifacts.MEDIA_TYPE.equals(artifact.mediaType())) {
        // The serialized graph is its arrays; twice that covers the activations of a request.
        model =
            LoadedModel.of(generative.load(version, artifact.content()), 2 * artifact.sizeBytes());
      } else if (artifact.mediaType().contains("computationgraph")) {
        ComputationGraph graph =
            ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(artifact.content()), false);
        long[] warmUp = graphInput(version.inputShape());
        model =
            LoadedModel.of(
                version,
                graph,
                footprint(graph.numParams(), graph.params().dataType(), report(graph, warmUp)),
                warmUp);
      } else {
        MultiLayerNetwork net =
            ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(artifact.content()), false);
        long[] warmUp = multiLayerInput(net, version.inputShape());
        model =
            LoadedModel.of(
                version,
                net,
                footprint(net.numParams(), net.params().dataType(), report(net, warmUp)),
                warmUp);
      }
    } catch (IOException | RuntimeException e) {
      log.error("Model {} could not be loaded", id, e);
      throw new ApiException(
          ApiException.Problem.MODEL_UNAVAILABLE,
          "model " + id + " could not be loaded from its artifact: " + e.getMessage());
    }
    if (model.generative() == null) {
      LoadedModel served = model;
      served.serveWith(
          new MicroBatcher(
              version.name() + " v" + version.version(),
              served::batchOutput,
              props.batching(),
              props.requestTimeout(),
              compute.threadFactory("batcher-" + version.name() + "-v" + version.version() + "-"),
              System::nanoTime,
              served::release));
    }
    log.info(
        "Loaded model {} ({} v{}, {} bytes stored, ~{} MiB in memory) in {} ms",
        id,
        version.name(),
        version.version(),
        artifact.sizeBytes(),
        model.estimatedBytes() >> 20,
        (System.nanoTime() - started) / 1_000_000);
    return model;
  }

  /**
   * Parameters (the network holds no gradients or updater state when loaded for inference) plus
   * DL4J's own estimate of the activations at the largest batch, or the parameters again when it
   * cannot estimate them.
   */
  private long footprint(long params, DataType type, NetworkMemoryReport report) {
    long paramBytes = params * type.width();
    if (report == null) {
      return 2 * paramBytes;
    }
    // The report counts the parameters and the activations of a batch of this size.
    long total =
        report.getTotalMemoryBytes(
            props.batching().maxBatchSize(), MemoryUseMode.INFERENCE, CacheMode.NONE, type);
    return Math.max(2 * paramBytes, total);
  }

  private NetworkMemoryReport report(MultiLayerNetwork net, long[] input) {
    try {
      return input == null
          ? null
          : net.getLayerWiseConfigurations().getMemoryReport(inputType(input));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private NetworkMemoryReport report(ComputationGraph graph, long[] input) {
    try {
      return input == null ? null : graph.getConfiguration().getMemoryReport(inputType(input));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static InputType inputType(long[] shape) {
    return switch (shape.length) {
      case 2 -> InputType.feedForward(shape[1]);
      case 3 -> InputType.recurrent(shape[1], shape[2]);
      case 4 -> InputType.convolutional(shape[2], shape[3], shape[1]);
      default -> throw new IllegalArgumentException("no input type for rank " + shape.length);
    };
  }

  /** One zero input: images [1, c, h, w] when the shape has three dimensions, else a flat row. */
  static long[] graphInput(List<Integer> inputShape) {
    if (inputShape == null || inputShape.isEmpty()) {
      return null;
    }
    if (inputShape.size() == 3) {
      return new long[] {1, inputShape.get(0), inputShape.get(1), inputShape.get(2)};
    }
    return new long[] {
      1, inputShape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b)
    };
  }

  /** What the first layer takes: one step of a sequence, an image, or a row of features. */
  static long[] multiLayerInput(MultiLayerNetwork net, List<Integer> inputShape) {
    Layer first = net.getLayerWiseConfigurations().getConf(0).getLayer();
    if (first instanceof BaseRecurrentLayer r) {
      return new long[] {1, r.getNIn(), 1};
    }
    if (first instanceof ConvolutionLayer) {
      return graphInput(inputShape);
    }
    if (first instanceof FeedForwardLayer f
        && net.getLayerWiseConfigurations().getInputPreProcess(0) == null) {
      return new long[] {1, f.getNIn()};
    }
    return graphInput(inputShape);
  }
}
