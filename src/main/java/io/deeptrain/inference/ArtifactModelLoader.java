package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.generative.GenerativeModels;
import io.deeptrain.generative.SameDiffArtifacts;
import io.deeptrain.model.ModelRegistry;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.system.ApiException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
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
  private final MeterRegistry meters;

  ArtifactModelLoader(
      ModelRegistry registry,
      GenerativeModels generative,
      ComputeBackend compute,
      InferenceProperties props,
      MeterRegistry meters) {
    this.meters = meters;
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
    int batch = props.batching().maxBatchSize();
    try {
      if (SameDiffArtifacts.MEDIA_TYPE.equals(artifact.mediaType())) {
        // The serialized graph is its arrays; twice that covers the activations of a request.
        model =
            LoadedModel.of(generative.load(version, artifact.content()), 2 * artifact.sizeBytes());
      } else if (artifact.mediaType().contains("computationgraph")) {
        ComputationGraph graph =
            ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(artifact.content()), false);
        long[] warmUp = graphInput(version.inputShape(), batch);
        model =
            LoadedModel.of(
                version, graph, paramBytes(graph.numParams(), graph.params().dataType()), warmUp);
      } else {
        MultiLayerNetwork net =
            ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(artifact.content()), false);
        long[] warmUp = multiLayerInput(net, version, batch);
        model =
            LoadedModel.of(
                version, net, paramBytes(net.numParams(), net.params().dataType()), warmUp);
      }
    } catch (IOException | RuntimeException e) {
      log.error("Model {} could not be loaded", id, e);
      throw new ApiException(
          ApiException.Problem.MODEL_UNAVAILABLE,
          "model " + id + " could not be loaded from its artifact: " + e.getMessage());
    }
    if (model.generative() == null) {
      LoadedModel served = model;
      DistributionSummary rows =
          DistributionSummary.builder("deeptrain.inference.batch.rows")
              .description("rows per batch run by a model's micro-batcher")
              .tag("model", version.name() + ":" + version.version())
              .register(meters);
      served.serveWith(
          new MicroBatcher(
              version.name() + " v" + version.version(),
              served::batchOutput,
              props.batching(),
              props.requestTimeout(),
              compute.threadFactory("batcher-" + version.name() + "-v" + version.version() + "-"),
              System::nanoTime,
              rows::record,
              () -> {
                meters.remove(rows);
                served.release();
              }));
    }
    log.info(
        "Loaded model {} ({} v{}, {} bytes stored, {} bytes of parameters) in {} ms",
        id,
        version.name(),
        version.version(),
        artifact.sizeBytes(),
        model.estimatedBytes(),
        (System.nanoTime() - started) / 1_000_000);
    return model;
  }

  /**
   * Bytes of the parameters: a network loaded for inference holds no gradients or updater state.
   * Its working memory (DL4J's inference workspaces) is measured by its batcher during warm-up.
   */
  static long paramBytes(long params, DataType type) {
    return params * type.width();
  }

  /** Zero inputs: images [n, c, h, w] when the shape has three dimensions, else flat rows. */
  static long[] graphInput(List<Integer> inputShape, int rows) {
    if (inputShape == null || inputShape.isEmpty()) {
      return null;
    }
    if (inputShape.size() == 3) {
      return new long[] {rows, inputShape.get(0), inputShape.get(1), inputShape.get(2)};
    }
    return new long[] {
      rows, inputShape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b)
    };
  }

  /** What the first layer takes: sequences (of the trained length when known), images or rows. */
  static long[] multiLayerInput(MultiLayerNetwork net, ModelVersion version, int rows) {
    Layer first = unwrapped(net.getLayerWiseConfigurations().getConf(0).getLayer());
    if (first instanceof BaseRecurrentLayer r) {
      List<Integer> sequence =
          version.spec() instanceof LstmSpec lstm ? lstm.sequenceShape(version.inputShape()) : null;
      return sequence != null
          ? new long[] {rows, sequence.get(1), sequence.get(0)}
          : new long[] {rows, r.getNIn(), 1};
    }
    if (first instanceof FeedForwardLayer f
        && !(first instanceof ConvolutionLayer)
        && net.getLayerWiseConfigurations().getInputPreProcess(0) == null) {
      return new long[] {rows, f.getNIn()};
    }
    return graphInput(version.inputShape(), rows);
  }

  /** The layer inside LastTimeStep / Bidirectional wrappers, whose input is the network's. */
  private static Layer unwrapped(Layer layer) {
    while (true) {
      if (layer instanceof BaseWrapperLayer w) {
        layer = w.getUnderlying();
      } else if (layer instanceof Bidirectional b) {
        layer = b.getFwd();
      } else {
        return layer;
      }
    }
  }
}
