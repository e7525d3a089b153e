package io.deeptrain.model;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers an uploaded classifier: a DL4J zip written by ModelSerializer (either network kind),
 * stored as it is, or a Keras .h5 imported through DL4J's model import and stored as a DL4J zip. A
 * file is accepted only after it loads and one forward pass on zeros of the input shape gives class
 * probabilities, one per label: then it serves /classify like a classifier trained here.
 */
@Service
class ModelUploads {

  /** Media types of DL4J zips, as training writes them; inference picks the loader by them. */
  static final String MULTI_LAYER = "application/vnd.deeplearning4j.multilayernetwork+zip";

  static final String GRAPH = "application/vnd.deeplearning4j.computationgraph+zip";

  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_CLASSES = 10_000;
  static final int MAX_DIMENSION = 100_000;

  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private final ModelRegistry registry;
  private final ModelProperties properties;
  private final TransactionTemplate transactions;
  private final JsonMapper json;

  ModelUploads(
      ModelRegistry registry,
      ModelProperties properties,
      TransactionTemplate transactions,
      JsonMapper json) {
    this.registry = registry;
    this.properties = properties;
    this.transactions = transactions;
    this.json = json;
  }

  /** The form fields of an upload, as sent. */
  record Upload(MultipartFile file, String name, String labels, String inputShape) {}

  /** What a network file turned out to be. */
  private record Loaded(Model network, ModelSource source) {}

  /**
   * Validates, loads and registers an upload as version n+1 of its name.
   *
   * @throws ApiException 400 for a bad field or a file that is no model, 413 over the size limit,
   *     422 for a Keras architecture DL4J cannot import or a network that is no classifier
   */
  UUID upload(Upload u) {
    List<FieldViolation> violations = new ArrayList<>();
    String nameProblem = nameProblem(u.name());
    if (nameProblem != null) {
      violations.add(new FieldViolation("name", nameProblem));
    }
    List<String> labels = labels(u.labels(), violations);
    List<Integer> inputShape = inputShape(u.inputShape(), violations);
    if (u.file() == null || u.file().isEmpty()) {
      violations.add(
          new FieldViolation(
              "file", "is required: a DL4J model zip (ModelSerializer) or a Keras .h5 file"));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    long max = properties.maxUploadSize().toBytes();
    if (u.file().getSize() > max) {
      throw new ApiException(
          ApiException.Problem.PAYLOAD_TOO_LARGE,
          "the file has %d bytes, more than the %d allowed (deeptrain.models.max-upload-size)"
              .formatted(u.file().getSize(), max));
    }
    byte[] bytes;
    try {
      bytes = u.file().getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Loaded loaded = startsWith(bytes, ZIP) ? loadZip(bytes) : loadKeras(bytes);
    try {
      List<Integer> shape = inputShape != null ? inputShape : deriveInputShape(loaded.network());
      int classes = classesOnZeros(loaded.network(), shape, inputShape != null);
      if (labels == null) {
        labels = IntStream.range(0, classes).mapToObj(Integer::toString).toList();
      } else if (labels.size() != classes) {
        throw ApiException.invalid(
            "labels",
            "has %d labels but the model outputs %d classes".formatted(labels.size(), classes));
      }
      byte[] artifact = loaded.source() == ModelSource.UPLOAD ? bytes : serialise(loaded.network());
      String mediaType = loaded.network() instanceof ComputationGraph ? GRAPH : MULTI_LAYER;
      NewModelVersion version =
          new NewModelVersion(
              u.name(),
              null,
              null,
              null,
              null,
              artifact,
              mediaType,
              List.copyOf(labels),
              List.copyOf(shape),
              null,
              Map.of(),
              null,
              loaded.source());
      return transactions.execute(status -> registry.register(version));
    } finally {
      loaded.network().close();
    }
  }

  /** Why a name cannot be a model name, or null: job names' rule, minus reference separators. */
  static String nameProblem(String name) {
    if (name == null || name.isBlank()) {
      return "is required: 1 to " + MAX_NAME_LENGTH + " characters";
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return "must be 1 to " + MAX_NAME_LENGTH + " characters, got " + name.length();
    }
    if (name.chars().anyMatch(c -> c == '/' || c == '@' || c == ':' || Character.isWhitespace(c))) {
      return "must not contain '/', '@', ':' or spaces (they separate a name from its version or"
          + " alias in a model reference), got '"
          + name
          + "'";
    }
    return null;
  }

  private List<String> labels(String raw, List<FieldViolation> violations) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    List<String> labels;
    if (raw.strip().startsWith("[")) {
      try {
        labels = json.readValue(raw, new TypeReference<List<String>>() {});
      } catch (JacksonException e) {
        violations.add(
            new FieldViolation(
                "labels", "must be a JSON list of strings or comma-separated names, got " + raw));
        return null;
      }
    } else {
      labels = Arrays.stream(raw.split(",", -1)).map(String::strip).toList();
    }
    if (labels.isEmpty() || labels.size() > MAX_CLASSES) {
      violations.add(new FieldViolation("labels", "must have 1 to " + MAX_CLASSES + " names"));
    } else if (labels.stream().anyMatch(l -> l == null || l.isBlank())) {
      violations.add(new FieldViolation("labels", "must not contain an empty name, got " + raw));
    } else if (new HashSet<>(labels).size() != labels.size()) {
      violations.add(new FieldViolation("labels", "must not repeat a name, got " + raw));
    }
    return labels;
  }

  private static List<Integer> inputShape(String raw, List<FieldViolation> violations) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String inner = raw.strip();
    if (inner.startsWith("[") && inner.endsWith("]")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    List<Integer> shape = new ArrayList<>();
    for (String part : inner.split(",", -1)) {
      try {
        int d = Integer.parseInt(part.strip());
        if (d < 1 || d > MAX_DIMENSION) {
          throw new NumberFormatException();
        }
        shape.add(d);
      } catch (NumberFormatException e) {
        violations.add(
            new FieldViolation(
                "inputShape",
                "must be whole numbers between 1 and " + MAX_DIMENSION + ", got '" + raw + "'"));
        return null;
      }
    }
    if (shape.size() != 1 && shape.size() != 3) {
      violations.add(
          new FieldViolation(
              "inputShape", "must be [features] or [channels, height, width], got '" + raw + "'"));
      return null;
    }
    return shape;
  }

  private static Loaded loadZip(byte[] bytes) {
    String config = zipEntry(bytes, "configuration.json");
    if (config == null) {
      throw ApiException.invalid(
          "file",
          "is a zip without configuration.json: not a DL4J model written by ModelSerializer");
    }
    try {
      // A graph's configuration lists vertices; a multi-layer network's lists confs.
      Model network =
          config.contains("\"vertices\"")
              ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false)
              : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
      return new Loaded(network, ModelSource.UPLOAD);
    } catch (IOException | RuntimeException e) {
      throw ApiException.invalid(
          "file", "is a zip that DL4J's ModelSerializer cannot load: " + plain(e));
    }
  }

  private Loaded loadKeras(byte[] bytes) {
    if (!startsWith(bytes, HDF5)) {
      throw ApiException.invalid(
          "file",
          "is neither a DL4J model zip (ModelSerializer) nor a Keras .h5 file (HDF5);"
              + " Keras 3 .keras files and TensorFlow SavedModels are not supported");
    }
    Path tmp = null;
    try {
      // HDF5 reads files only.
      tmp = Files.createTempFile("deeptrain-upload-", ".h5");
      Files.write(tmp, bytes);
      String path = tmp.toString();
      String className;
      try (Hdf5Archive archive = new Hdf5Archive(path)) {
        if (!archive.hasAttribute("model_config")) {
          throw ApiException.invalid(
              "file",
              "is an HDF5 file without model_config: a Keras weights-only file has no"
                  + " architecture; save the whole model (model.save('model.h5'))");
        }
        // The attribute comes back in a NUL-padded buffer.
        String config = archive.readAttributeAsJson("model_config");
        int end = config.indexOf('\0');
        className =
            json.readTree(end < 0 ? config : config.substring(0, end)).path("class_name").asText();
      }
      Model network =
          "Sequential".equals(className)
              ? KerasModelImport.importKerasSequentialModelAndWeights(path, false)
              : KerasModelImport.importKerasModelAndWeights(path, false);
      return new Loaded(network, ModelSource.KERAS);
    } catch (UnsupportedKerasConfigurationException e) {
      throw new ApiException(
          ApiException.Problem.UNSUPPORTED_MODEL,
          "DL4J's Keras import does not support this model: " + plain(e));
    } catch (InvalidKerasConfigurationException e) {
      throw ApiException.invalid("file", "is not a valid Keras model: " + plain(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ApiException(
          ApiException.Problem.UNSUPPORTED_MODEL,
          "DL4J's Keras import could not import this model: " + plain(e));
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  /**
   * The shape of one input when the network says it: a first dense layer's inputs, or the image
   * size of a feed-forward-to-CNN preprocessor before it.
   */
  private static List<Integer> deriveInputShape(Model network) {
    Layer first = null;
    InputPreProcessor pre = null;
    if (network instanceof MultiLayerNetwork mln) {
      MultiLayerConfiguration conf = mln.getLayerWiseConfigurations();
      first = conf.getConf(0).getLayer();
      pre = conf.getInputPreProcess(0);
    } else if (network instanceof ComputationGraph graph
        && graph.getConfiguration().getNetworkInputs().size() == 1) {
      String input = graph.getConfiguration().getNetworkInputs().get(0);
      for (Map.Entry<String, List<String>> e :
          graph.getConfiguration().getVertexInputs().entrySet()) {
        GraphVertex v = graph.getConfiguration().getVertices().get(e.getKey());
        if (e.getValue().equals(List.of(input)) && v instanceof LayerVertex lv) {
          first = lv.getLayerConf().getLayer();
          pre = lv.getPreProcessor();
          break;
        }
      }
    }
    if (pre instanceof FeedForwardToCnnPreProcessor cnn) {
      return List.of(
          (int) cnn.getNumChannels(), (int) cnn.getInputHeight(), (int) cnn.getInputWidth());
    }
    if (pre == null
        && (first instanceof DenseLayer || first instanceof BaseOutputLayer)
        && ((FeedForwardLayer) first).getNIn() > 0) {
      return List.of((int) ((FeedForwardLayer) first).getNIn());
    }
    throw ApiException.invalid(
        "inputShape",
        "is required: the network does not say the shape of its input (its first layer is "
            + (first == null ? "not a single layer" : first.getClass().getSimpleName())
            + "); send [features] or [channels, height, width]");
  }

  /**
   * Runs one forward pass on zeros, shaped as /classify will feed the network, and returns the
   * number of classes it outputs; refuses anything that does not give one probability per class.
   */
  private static int classesOnZeros(Model network, List<Integer> shape, boolean shapeGiven) {
    long[] dims;
    if (network instanceof MultiLayerNetwork) {
      dims =
          new long[] {1, shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b)};
    } else {
      dims = new long[shape.size() + 1];
      dims[0] = 1;
      for (int i = 0; i < shape.size(); i++) {
        dims[i + 1] = shape.get(i);
      }
    }
    INDArray output;
    try (INDArray zeros = Nd4j.zeros(DataType.FLOAT, dims)) {
      output =
          network instanceof MultiLayerNetwork mln
              ? mln.output(zeros, false)
              : ((ComputationGraph) network).outputSingle(false, zeros);
    } catch (RuntimeException e) {
      String message = "the network cannot run on an input of shape " + shape + ": " + plain(e);
      if (shapeGiven) {
        throw ApiException.invalid("inputShape", message);
      }
      throw new ApiException(ApiException.Problem.UNSUPPORTED_MODEL, message);
    }
    try (output) {
      if (output.rank() != 2 || output.size(0) != 1) {
        throw new ApiException(
            ApiException.Problem.UNSUPPORTED_MODEL,
            "a classifier must output [n, classes]; this one outputs "
                + Arrays.toString(output.shape())
                + " for one input");
      }
      float[] p = output.toFloatVector();
      double sum = 0;
      for (float v : p) {
        if (!(v >= 0 && v <= 1)) {
          sum = Double.NaN;
          break;
        }
        sum += v;
      }
      if (!(Math.abs(sum - 1) < 1e-3)) {
        throw new ApiException(
            ApiException.Problem.UNSUPPORTED_MODEL,
            "a classifier must output class probabilities (end in softmax); on zeros this one"
                + " outputs "
                + Arrays.toString(p));
      }
      return p.length;
    }
  }

  private static byte[] serialise(Model network) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(network, out, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String zipEntry(byte[] bytes, String name) {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals(name)) {
          return new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      return null;
    } catch (IOException e) {
      throw ApiException.invalid("file", "is not a readable zip: " + e.getMessage());
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** An exception's message without DL4J's appended advice to file an issue or read the docs. */
  static String plain(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    for (String tail : List.of(" Please file an issue", " For more information", "\nFor more")) {
      int i = m.indexOf(tail);
      if (i > 0) {
        m = m.substring(0, i);
      }
    }
    m = m.strip();
    return m.length() > 500 ? m.substring(0, 500) + "…" : m;
  }
}
