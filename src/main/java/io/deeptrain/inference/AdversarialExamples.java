package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.dataset.ImageDecodeException;
import io.deeptrain.dataset.Standardization;
import io.deeptrain.generative.ImageGrids;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.CnnSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.stereotype.Service;

/**
 * Adversarial examples for image and tabular classifiers ({@link Fgsm}): the input is prepared
 * exactly as {@code /classify} prepares it, perturbed one gradient-sign step against its true
 * label, and classified again.
 */
@Service
class AdversarialExamples {

  static final double DEFAULT_EPSILON = 0.1;

  private final ModelCache cache;
  private final ComputeBackend compute;

  AdversarialExamples(ModelCache cache, ComputeBackend compute) {
    this.cache = cache;
    this.compute = compute;
  }

  /** The attack's input, prediction and result, before they are turned into JSON or a PNG. */
  record Attack(
      ModelVersion version,
      double epsilon,
      int label,
      INDArray input,
      INDArray adversarial,
      float[] originalProbabilities,
      float[] adversarialProbabilities)
      implements AutoCloseable {

    @Override
    public void close() {
      input.close();
      adversarial.close();
    }

    boolean images() {
      return version.inputShape().size() == 3;
    }

    /** [1, c, h, w] whatever shape the network takes. */
    INDArray asImage(INDArray x) {
      List<Integer> s = version.inputShape();
      return x.reshape(1, s.get(0), s.get(1), s.get(2));
    }

    /** The change made, scaled so that -ε..+ε spans black..white. */
    INDArray visiblePerturbation() {
      return adversarial.sub(input).divi(2 * epsilon).addi(0.5);
    }
  }

  AdversarialResponse json(UUID modelId, AdversarialRequest request) {
    try (Attack attack = attack(modelId, request)) {
      return json(modelId, attack);
    }
  }

  private static AdversarialResponse json(UUID modelId, Attack attack) {
    List<String> labels = attack.version().labels();
    int before = argMax(attack.originalProbabilities());
    int after = argMax(attack.adversarialProbabilities());
    String image = null;
    String perturbation = null;
    if (attack.images()) {
      Base64.Encoder base64 = Base64.getEncoder();
      image = base64.encodeToString(ImageGrids.png(attack.asImage(attack.adversarial())));
      perturbation =
          base64.encodeToString(ImageGrids.png(attack.asImage(attack.visiblePerturbation())));
    }
    return new AdversarialResponse(
        modelId,
        attack.epsilon(),
        labels.get(attack.label()),
        new AdversarialResponse.Prediction(
            labels.get(before), attack.originalProbabilities()[before]),
        new AdversarialResponse.Prediction(
            labels.get(after), attack.adversarialProbabilities()[after]),
        before == attack.label() && after != attack.label(),
        image,
        perturbation,
        values(attack));
  }

  /** A PNG strip: the input, the visible perturbation, the adversarial input. */
  byte[] png(UUID modelId, AdversarialRequest request) {
    try (Attack attack = attack(modelId, request)) {
      if (!attack.images()) {
        throw ApiException.invalid(
            "instance", "model " + modelId + " is a tabular classifier: ask for JSON, not a PNG");
      }
      try (INDArray strip =
          Nd4j.concat(
              0,
              attack.asImage(attack.input()),
              attack.asImage(attack.visiblePerturbation()),
              attack.asImage(attack.adversarial()))) {
        return ImageGrids.strip(strip);
      }
    }
  }

  Attack attack(UUID modelId, AdversarialRequest request) {
    LoadedModel model = cache.get(modelId);
    ModelVersion version = model.version();
    if (model.generative() != null
        || !(version.spec() instanceof CnnSpec || version.spec() instanceof MlpSpec)) {
      throw ApiException.invalid(
          "model",
          "model "
              + modelId
              + " is a "
              + version.spec().type()
              + " model; adversarial examples (FGSM) need an image or tabular classifier (CNN or"
              + " MLP)");
    }
    if (request == null) {
      throw ApiException.invalid("image", "is required (or instance)");
    }
    double epsilon = request.epsilon() == null ? DEFAULT_EPSILON : request.epsilon();
    if (!(epsilon > 0 && epsilon <= 1)) {
      throw ApiException.invalid("epsilon", "must be > 0 and <= 1, got " + request.epsilon());
    }
    boolean images = version.inputShape().size() == 3;
    float[] values = input(modelId, version, request, images);
    long[] shape =
        model.acceptsImages()
            ? new long[] {
              1,
              version.inputShape().get(0),
              version.inputShape().get(1),
              version.inputShape().get(2)
            }
            : new long[] {1, values.length};
    compute.applyThreadsToCurrentThread();
    INDArray x = Nd4j.create(values, shape, 'c');
    float[] before;
    try (INDArray p = model.output(x)) {
      before = p.toFloatVector();
    }
    int label = label(request.label(), version.labels(), argMax(before));
    INDArray adversarial;
    try (INDArray y = Fgsm.oneHot(label, version.labels().size());
        INDArray gradient = Fgsm.inputGradient(model.network(), x, y)) {
      adversarial = Fgsm.perturb(x, gradient, epsilon, images);
    }
    float[] after;
    try (INDArray p = model.output(adversarial)) {
      after = p.toFloatVector();
    }
    return new Attack(version, epsilon, label, x, adversarial, before, after);
  }

  /** The input as the network sees it: pixels in [0, 1], or standardised features. */
  private static float[] input(
      UUID modelId, ModelVersion version, AdversarialRequest request, boolean images) {
    boolean hasImage = request.image() != null;
    boolean hasInstance = request.instance() != null;
    if (hasImage == hasInstance) {
      throw ApiException.invalid(
          "image", "send exactly one of image (base64 PNG/JPEG) or instance (an array of numbers)");
    }
    List<Integer> shape = version.inputShape();
    if (hasImage) {
      if (!images) {
        throw ApiException.invalid(
            "image",
            "model "
                + modelId
                + " takes "
                + shape.get(0)
                + " numeric features, not images; send instance");
      }
      try {
        return Classifier.pixels(
            Base64.getMimeDecoder().decode(request.image()),
            shape.get(0),
            shape.get(1),
            shape.get(2));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("image", "is not valid base64: " + e.getMessage());
      } catch (ImageDecodeException e) {
        throw ApiException.invalid("image", e.getMessage());
      }
    }
    int features = shape.stream().reduce(1, (a, b) -> a * b);
    List<Double> instance = request.instance();
    if (instance.size() != features) {
      throw ApiException.invalid(
          "instance",
          "must have "
              + features
              + (images ? " pixel values in [0, 1]" : " feature values")
              + ", got "
              + instance.size());
    }
    List<FieldViolation> violations = new ArrayList<>();
    double[] row = new double[features];
    for (int i = 0; i < features && violations.size() < 20; i++) {
      Double v = instance.get(i);
      if (v == null || !Double.isFinite(v) || (images && (v < 0 || v > 1))) {
        violations.add(
            new FieldViolation(
                "instance[" + i + "]",
                (images ? "must be a pixel value in [0, 1]" : "must be a finite number")
                    + ", got "
                    + v));
      } else {
        row[i] = v;
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    Standardization norm = version.normalization();
    if (norm != null) {
      norm.apply(row);
    }
    float[] out = new float[features];
    for (int i = 0; i < features; i++) {
      out[i] = (float) row[i];
    }
    return out;
  }

  /** A class name, or an index into the labels; {@code predicted} when absent. */
  private static int label(String requested, List<String> labels, int predicted) {
    if (requested == null) {
      return predicted;
    }
    int byName = labels.indexOf(requested);
    if (byName >= 0) {
      return byName;
    }
    try {
      int index = Integer.parseInt(requested.trim());
      if (index >= 0 && index < labels.size()) {
        return index;
      }
    } catch (NumberFormatException e) {
      // Neither a name nor an index: reported below.
    }
    throw ApiException.invalid(
        "label",
        "must be one of "
            + labels
            + " or an index 0 to "
            + (labels.size() - 1)
            + ", got '"
            + requested
            + "'");
  }

  /** The perturbed input in the units it was sent in. */
  private static List<Double> values(Attack attack) {
    float[] flat = attack.adversarial().dup('c').data().asFloat();
    Standardization norm = attack.version().normalization();
    List<Double> out = new ArrayList<>(flat.length);
    for (int i = 0; i < flat.length; i++) {
      double v = flat[i];
      if (norm != null) {
        v = v * norm.std().get(i) + norm.mean().get(i);
      }
      out.add(v);
    }
    return out;
  }

  private static int argMax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }
}
