package io.deeptrain.inference;

import io.deeptrain.inference.OipModelMetadata.TensorMetadata;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.DiffusionSpec;
import io.deeptrain.spec.GanSpec;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.spec.VaeSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model takes and gives under the Open Inference Protocol, read from its registered version
 * alone (no loading): its family, input and output tensors, and the request parameters it uses.
 */
record OipSignature(
    Family family, List<TensorMetadata> inputs, List<TensorMetadata> outputs, Set<String> params) {

  static final String PLATFORM = "deeplearning4j";

  /** How a model is called. */
  enum Family {
    TABULAR_CLASSIFIER,
    IMAGE_CLASSIFIER,
    SEQUENCE_CLASSIFIER,
    LANGUAGE_MODEL,
    FORECASTER,
    GENERATOR,
    DIFFUSION
  }

  static final String INPUT = "input";
  static final String IMAGE = "image";
  static final String PROMPT = "prompt";
  static final String HISTORY = "history";
  static final String PROBABILITIES = "probabilities";
  static final String LABEL = "label";
  static final String CLASS_INDEX = "class_index";
  static final String TEXT = "text";
  static final String FORECAST = "forecast";
  static final String PIXELS = "pixels";

  /** BYTES outputs holding images say how their strings are encoded. */
  static final Map<String, Object> PNG_BASE64 =
      Map.of("content_type", "image/png", "encoding", "base64");

  static final long ANY = -1;

  static OipSignature of(ModelVersion v) {
    List<Integer> in = v.inputShape();
    int classes = v.labels() == null ? 0 : v.labels().size();
    List<TensorMetadata> classified =
        List.of(
            fp32(PROBABILITIES, ANY, classes),
            new TensorMetadata(LABEL, "BYTES", List.of(ANY)),
            new TensorMetadata(CLASS_INDEX, "INT64", List.of(ANY)));
    TensorMetadata imageBytes = new TensorMetadata(IMAGE, "BYTES", List.of(ANY));
    if (v.spec() instanceof VaeSpec || v.spec() instanceof GanSpec) {
      return new OipSignature(
          Family.GENERATOR, List.of(), generated(in), Set.of("seed", "count", "n"));
    }
    if (v.spec() instanceof DiffusionSpec) {
      return new OipSignature(
          Family.DIFFUSION,
          List.of(),
          generated(in),
          Set.of("seed", "count", "n", "steps", "sampler"));
    }
    if (v.spec() instanceof LstmSpec lstm) {
      switch (lstm.headOrDefault()) {
        case LANGUAGE_MODEL -> {
          return new OipSignature(
              Family.LANGUAGE_MODEL,
              List.of(new TensorMetadata(PROMPT, "BYTES", List.of(ANY))),
              List.of(new TensorMetadata(TEXT, "BYTES", List.of(ANY))),
              Set.of("seed", "temperature", "top_k", "length"));
        }
        case REGRESSION -> {
          // [window, columns]; any number of rows is accepted, the window is what it trained on.
          return new OipSignature(
              Family.FORECASTER,
              List.of(fp32(HISTORY, ANY, ANY, in.get(1))),
              List.of(fp32(FORECAST, ANY, classes)),
              Set.of());
        }
        case CLASSIFICATION -> {
          List<Integer> seq = lstm.sequenceShape(in);
          return new OipSignature(
              Family.SEQUENCE_CLASSIFIER,
              List.of(fp32(INPUT, ANY, ANY, seq.get(1)), imageBytes),
              classified,
              Set.of());
        }
        default -> throw new IllegalStateException("unknown head " + lstm.headOrDefault());
      }
    }
    // MLP, CNN, or an uploaded classifier (no spec): images [c, h, w] or rows of features.
    if (in.size() == 3) {
      return new OipSignature(
          Family.IMAGE_CLASSIFIER,
          List.of(fp32(INPUT, ANY, in.get(0), in.get(1), in.get(2)), imageBytes),
          classified,
          Set.of());
    }
    long features = in.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
    return new OipSignature(
        Family.TABULAR_CLASSIFIER, List.of(fp32(INPUT, ANY, features)), classified, Set.of());
  }

  private static List<TensorMetadata> generated(List<Integer> image) {
    return List.of(
        new TensorMetadata(IMAGE, "BYTES", List.of(ANY)),
        fp32(PIXELS, ANY, image.get(0), image.get(1), image.get(2)));
  }

  private static TensorMetadata fp32(String name, long... dims) {
    return new TensorMetadata(name, "FP32", java.util.Arrays.stream(dims).boxed().toList());
  }

  /** The metadata of the named output, or null. */
  TensorMetadata output(String name) {
    return outputs.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
  }

  List<String> inputNames() {
    return inputs.stream().map(TensorMetadata::name).toList();
  }

  List<String> outputNames() {
    return outputs.stream().map(TensorMetadata::name).toList();
  }
}
