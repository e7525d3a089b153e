package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.dataset.ImageDecodeException;
import io.deeptrain.dataset.Standardization;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.stereotype.Service;

/**
 * Classifies with a registered model, preparing inputs exactly as training did: tabular rows are
 * standardised with the model's fitted transform; images are converted to the model's size and
 * channels and scaled to [0, 1].
 */
@Service
class Classifier {

  static final int DEFAULT_TOP_K = 3;

  /** Longest sequence accepted; bounds the activation memory of one request. */
  static final int MAX_STEPS = 10_000;

  private final ModelCache cache;
  private final InferenceProperties props;
  private final ComputeBackend compute;

  Classifier(ModelCache cache, InferenceProperties props, ComputeBackend compute) {
    this.cache = cache;
    this.props = props;
    this.compute = compute;
  }

  /** An uploaded image: its bytes and, when known, its file name. */
  record ImageInput(String name, byte[] bytes) {}

  ClassifyResponse classify(UUID modelId, ClassifyRequest request) {
    LoadedModel model = cache.get(modelId);
    if (model.version().spec() instanceof LstmSpec lstm
        && lstm.headOrDefault() != LstmSpec.Head.CLASSIFICATION) {
      throw ApiException.invalid(
          "instances",
          "model "
              + modelId
              + " is not a classifier; use /"
              + (lstm.headOrDefault() == LstmSpec.Head.LANGUAGE_MODEL ? "complete" : "forecast"));
    }
    // An empty list counts as absent: generated clients send unset arrays as [].
    boolean hasInstances = request != null && notEmpty(request.instances());
    boolean hasImages = request != null && notEmpty(request.images());
    boolean hasSequences = request != null && notEmpty(request.sequences());
    if ((hasInstances ? 1 : 0) + (hasImages ? 1 : 0) + (hasSequences ? 1 : 0) != 1) {
      throw ApiException.invalid(
          "instances",
          "send exactly one of instances (arrays of numbers), images (base64 PNG/JPEG) or"
              + " sequences (arrays of steps, for LSTM models)");
    }
    int topK = topK(request.topK(), model);
    if (hasImages) {
      List<ImageInput> images = new ArrayList<>();
      for (int i = 0; i < request.images().size(); i++) {
        String encoded = request.images().get(i);
        try {
          images.add(
              new ImageInput(null, Base64.getMimeDecoder().decode(encoded == null ? "" : encoded)));
        } catch (IllegalArgumentException e) {
          throw ApiException.invalid("images[" + i + "]", "is not valid base64: " + e.getMessage());
        }
      }
      return classifyImages(modelId, model, images, "images", topK);
    }
    if (hasSequences) {
      return predictSequences(modelId, model, request.sequences(), topK);
    }
    float[][] rows = rows(request.instances(), model.version());
    return predict(modelId, model, rows, null, topK);
  }

  private static boolean notEmpty(List<?> list) {
    return list != null && !list.isEmpty();
  }

  private ClassifyResponse predictSequences(
      UUID modelId, LoadedModel model, List<List<List<Double>>> sequences, int topK) {
    ModelVersion v = model.version();
    if (!(v.spec() instanceof LstmSpec lstm) || lstm.sequenceShape(v.inputShape()) == null) {
      throw ApiException.invalid(
          "sequences", "model " + modelId + " is not a sequence model; send instances or images");
    }
    checkCount("sequences", sequences.size());
    int features = lstm.sequenceShape(v.inputShape()).get(1);
    int trainedSteps = lstm.sequenceShape(v.inputShape()).get(0);
    List<FieldViolation> violations = new ArrayList<>();
    List<List<Double>> first = sequences.get(0);
    int steps = first == null ? 0 : first.size();
    if (steps < 1 || steps > MAX_STEPS) {
      throw ApiException.invalid(
          "sequences[0]",
          "must have 1 to "
              + MAX_STEPS
              + " steps (the model was trained on "
              + trainedSteps
              + "), got "
              + steps);
    }
    // DL4J's layout [n, features, steps], filled in place.
    float[] flat = new float[sequences.size() * features * steps];
    for (int i = 0; i < sequences.size() && violations.size() < 20; i++) {
      List<List<Double>> seq = sequences.get(i);
      String at = "sequences[" + i + "]";
      if (seq == null || seq.size() != steps) {
        violations.add(
            new FieldViolation(
                at,
                "must have "
                    + steps
                    + " steps like sequences[0] (one length per request), got "
                    + (seq == null ? 0 : seq.size())));
        continue;
      }
      for (int t = 0; t < steps; t++) {
        List<Double> step = seq.get(t);
        if (step == null || step.size() != features) {
          violations.add(
              new FieldViolation(
                  at + "[" + t + "]",
                  "must have "
                      + features
                      + " features per step, got "
                      + (step == null ? 0 : step.size())));
          continue;
        }
        for (int f = 0; f < features; f++) {
          Double value = step.get(f);
          if (value == null || !Double.isFinite(value)) {
            violations.add(
                new FieldViolation(
                    at + "[" + t + "][" + f + "]", "must be a finite number, got " + value));
          } else {
            flat[(i * features + f) * steps + t] = value.floatValue();
          }
        }
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    return respond(
        modelId,
        model,
        new MicroBatcher.Tensor(flat, new long[] {sequences.size(), features, steps}),
        null,
        topK);
  }

  ClassifyResponse classifyImages(UUID modelId, List<ImageInput> images, Integer topK) {
    LoadedModel model = cache.get(modelId);
    return classifyImages(modelId, model, images, "file", topK(topK, model));
  }

  private ClassifyResponse classifyImages(
      UUID modelId, LoadedModel model, List<ImageInput> images, String field, int topK) {
    ModelVersion v = model.version();
    if (v.inputShape().size() != 3) {
      throw ApiException.invalid(
          field,
          "model "
              + modelId
              + " takes "
              + v.inputShape().get(0)
              + " numeric features, not images; send instances");
    }
    checkCount(field, images.size());
    int channels = v.inputShape().get(0);
    int height = v.inputShape().get(1);
    int width = v.inputShape().get(2);
    float[][] rows = new float[images.size()][];
    List<String> names = new ArrayList<>();
    List<FieldViolation> violations = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      ImageInput image = images.get(i);
      String at = image.name() != null ? field + " '" + image.name() + "'" : field + "[" + i + "]";
      names.add(image.name());
      try {
        rows[i] = pixels(image.bytes(), channels, height, width);
      } catch (ImageDecodeException e) {
        violations.add(new FieldViolation(at, e.getMessage()));
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    return predict(modelId, model, rows, names, topK);
  }

  /**
   * An encoded image as the model's input: converted to its size and channels, pixels in [0, 1],
   * channel-major.
   *
   * @throws ImageDecodeException if the bytes are no image, or its colour does not fit the model
   */
  static float[] pixels(byte[] bytes, int channels, int height, int width) {
    BufferedImage decoded = ImageCodec.read(bytes);
    String channelProblem = channelProblem(decoded, channels);
    if (channelProblem != null) {
      throw new ImageDecodeException(channelProblem);
    }
    byte[] chw = ImageCodec.toChw(decoded, channels, height, width);
    float[] row = new float[chw.length];
    for (int k = 0; k < chw.length; k++) {
      row[k] = (chw[k] & 0xff) / 255f;
    }
    return row;
  }

  /**
   * A grayscale model takes grayscale images (also when stored as RGB with equal channels); an RGB
   * model takes colour images. Anything else is refused rather than silently converted.
   */
  private static String channelProblem(BufferedImage image, int channels) {
    int natural = ImageCodec.naturalChannels(image);
    if (channels == 1 && natural == 3 && hasColour(image)) {
      return "is a colour image; the model expects grayscale (1 channel)";
    }
    if (channels == 3 && natural == 1) {
      return "is a grayscale image; the model expects RGB colour (3 channels)";
    }
    return null;
  }

  private static boolean hasColour(BufferedImage image) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        int r = (p >> 16) & 0xff;
        int g = (p >> 8) & 0xff;
        int b = p & 0xff;
        if (r != g || g != b) {
          return true;
        }
      }
    }
    return false;
  }

  private ClassifyResponse predict(
      UUID modelId, LoadedModel model, float[][] rows, List<String> names, int topK) {
    ModelVersion v = model.version();
    int features = rows[0].length;
    long[] shape = new long[v.inputShape().size() + 1];
    shape[0] = rows.length;
    for (int i = 0; i < v.inputShape().size(); i++) {
      shape[i + 1] = v.inputShape().get(i);
    }
    if (!model.acceptsImages()) {
      shape = new long[] {rows.length, features};
    }
    boolean rowsAsSequence = v.spec() instanceof LstmSpec && v.inputShape().size() == 3;
    if (rowsAsSequence) {
      shape =
          new long[] {
            rows.length, v.inputShape().get(0), v.inputShape().get(1), v.inputShape().get(2)
          };
    }
    float[] flat = new float[rows.length * features];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * features, features);
    }
    if (!rowsAsSequence) {
      return respond(modelId, model, new MicroBatcher.Tensor(flat, shape), names, topK);
    }
    // Request threads are not made by the compute backend: give this one its thread budget.
    compute.applyThreadsToCurrentThread();
    try (INDArray pixels = Nd4j.create(flat, shape, 'c');
        INDArray input = LstmBuilder.rowsAsSequence(pixels)) {
      return respond(
          modelId,
          model,
          new MicroBatcher.Tensor(input.data().asFloat(), input.shape()),
          names,
          topK);
    }
  }

  /** Runs the rows through the model's batcher (merged with concurrent requests). */
  private ClassifyResponse respond(
      UUID modelId, LoadedModel model, MicroBatcher.Tensor input, List<String> names, int topK) {
    List<String> labels = model.version().labels();
    List<ClassifyResponse.Prediction> predictions = new ArrayList<>(input.rows());
    MicroBatcher.Tensor output = model.infer(input);
    int classes = output.data().length / output.rows();
    for (int r = 0; r < output.rows(); r++) {
      float[] p = Arrays.copyOfRange(output.data(), r * classes, (r + 1) * classes);
      Map<String, Double> all = new LinkedHashMap<>();
      for (int c = 0; c < p.length; c++) {
        all.put(labels.get(c), (double) p[c]);
      }
      List<ClassifyResponse.Ranked> top =
          IntStream.range(0, p.length)
              .boxed()
              .sorted(Comparator.comparingDouble((Integer c) -> p[c]).reversed())
              .limit(topK)
              .map(c -> new ClassifyResponse.Ranked(labels.get(c), p[c]))
              .toList();
      predictions.add(
          new ClassifyResponse.Prediction(
              names == null ? null : names.get(r),
              top.get(0).label(),
              top.get(0).probability(),
              top,
              all));
    }
    return new ClassifyResponse(modelId, predictions);
  }

  private int topK(Integer requested, LoadedModel model) {
    int classes = model.version().labels().size();
    if (requested == null) {
      return Math.min(DEFAULT_TOP_K, classes);
    }
    if (requested < 1 || requested > classes) {
      throw ApiException.invalid(
          "topK", "must be between 1 and " + classes + " (the model's classes), got " + requested);
    }
    return requested;
  }

  private void checkCount(String field, int count) {
    if (count == 0) {
      throw ApiException.invalid(field, "is required: 1 to " + props.maxInstances() + " inputs");
    }
    if (count > props.maxInstances()) {
      throw ApiException.invalid(
          field,
          "has "
              + count
              + " inputs; at most "
              + props.maxInstances()
              + " per request (deeptrain.inference.max-instances); send them in several requests");
    }
  }

  private float[][] rows(List<List<Double>> instances, ModelVersion version) {
    checkCount("instances", instances.size());
    int features = version.inputShape().stream().reduce(1, (a, b) -> a * b);
    String expected =
        version.inputShape().size() == 3
            ? features
                + " values ("
                + version.inputShape().get(0)
                + "x"
                + version.inputShape().get(1)
                + "x"
                + version.inputShape().get(2)
                + " pixels in [0, 1], channel-major)"
            : features + " features";
    List<FieldViolation> violations = new ArrayList<>();
    float[][] rows = new float[instances.size()][];
    Standardization norm = version.normalization();
    for (int i = 0; i < rows.length; i++) {
      List<Double> row = instances.get(i);
      String at = "instances[" + i + "]";
      if (row == null || row.size() != features) {
        violations.add(
            new FieldViolation(
                at, "must have " + expected + ", got " + (row == null ? 0 : row.size())));
      } else {
        double[] values = new double[features];
        for (int j = 0; j < features; j++) {
          Double v = row.get(j);
          if (v == null || !Double.isFinite(v)) {
            violations.add(
                new FieldViolation(at + "[" + j + "]", "must be a finite number, got " + v));
          } else {
            values[j] = v;
          }
        }
        if (norm != null) {
          norm.apply(values);
        }
        rows[i] = new float[features];
        for (int j = 0; j < features; j++) {
          rows[i][j] = (float) values[j];
        }
      }
      if (violations.size() >= 20) {
        break;
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    return rows;
  }
}
