package io.deeptrain.generative;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.Examples;
import io.deeptrain.generative.ReferenceClassifiers.Activations;
import io.deeptrain.generative.ReferenceClassifiers.Reference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * {@link SampleQuality} in the feature space of the dataset's reference classifier: a Fréchet
 * distance (FID with a small in-house CNN instead of Inception) and the classifier's confidence.
 *
 * <p>The distance only means something beside its two bounds, measured the same way and reported
 * with it: uniform noise (what an untrained model scores) and one half of the test set against the
 * other (what a perfect model scores, given the finite sample). The test images' features are
 * computed once per reference and kept.
 */
@Service
class FrechetSampleQuality implements SampleQuality {

  private static final Logger log = LoggerFactory.getLogger(FrechetSampleQuality.class);

  /** Images generated per call, so a diffusion model's activations stay small. */
  private static final int GENERATE_BATCH = 250;

  private final ReferenceClassifiers references;
  private final QualityProperties properties;
  private final ComputeBackend compute;
  private final Map<Reference, TestFeatures> tests = new ConcurrentHashMap<>();

  FrechetSampleQuality(
      ReferenceClassifiers references, QualityProperties properties, ComputeBackend compute) {
    this.references = references;
    this.properties = properties;
    this.compute = compute;
  }

  /** The test images' Gaussian in feature space, and the half-versus-half distance. */
  private record TestFeatures(FrechetDistance.Gaussian all, double halfDistance) {}

  /**
   * {@inheritDoc}
   *
   * <p>Also {@code reference_accuracy}: the reference classifier's own test accuracy, which bounds
   * how much its confidence and features can be trusted.
   *
   * @throws IllegalArgumentException if the dataset has no images, or the model's images have
   *     another shape than the dataset's, or the model generated non-finite pixels
   */
  @Override
  public Map<String, Double> measure(String dataset, GenerativeModel model, long seed) {
    long start = System.nanoTime();
    compute.applyThreadsToCurrentThread();
    Reference reference = references.get(dataset);
    DatasetSplit split = references.open(dataset);
    List<Integer> shape = split.inputShape();
    if (!shape.equals(model.imageShape())) {
      throw new IllegalArgumentException(
          "the model makes images of shape "
              + model.imageShape()
              + " but dataset '"
              + dataset
              + "' has "
              + shape);
    }
    TestFeatures test = tests.computeIfAbsent(reference, r -> testFeatures(r, split.test()));
    int n = properties.samples();

    Activations samples;
    try (INDArray images = generated(model, n, seed)) {
      samples = reference.activations(images);
    }
    Activations noise;
    try (INDArray images = noise(n, shape, seed)) {
      noise = reference.activations(images);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(
        "frechet_distance",
        FrechetDistance.between(FrechetDistance.Gaussian.of(samples.features()), test.all()));
    out.put(
        "frechet_distance_noise",
        FrechetDistance.between(FrechetDistance.Gaussian.of(noise.features()), test.all()));
    out.put("frechet_distance_test", test.halfDistance());
    out.put("reference_confidence", meanTopProbability(samples.probabilities()));
    out.put("reference_accuracy", reference.testAccuracy());
    log.info(
        "Sample quality on '{}' ({} samples vs {} test images) in {} ms: {}",
        dataset,
        n,
        test.all().count(),
        (System.nanoTime() - start) / 1_000_000,
        out);
    return out;
  }

  /** {@code n} images in batches; each batch's seed is drawn from {@code seed}. */
  private static INDArray generated(GenerativeModel model, int n, long seed) {
    SplittableRandom seeds = new SplittableRandom(seed);
    INDArray[] parts = new INDArray[(n + GENERATE_BATCH - 1) / GENERATE_BATCH];
    for (int i = 0; i < parts.length; i++) {
      int count = Math.min(GENERATE_BATCH, n - i * GENERATE_BATCH);
      parts[i] = model.generate(count, seeds.nextLong());
    }
    INDArray all = parts.length == 1 ? parts[0] : Nd4j.concat(0, parts);
    if (parts.length > 1) {
      for (INDArray part : parts) {
        part.close();
      }
    }
    // isNaN/isInfinite reductions count the bad pixels without copying the images to the heap.
    if (all.isNaN().any() || all.isInfinite().any()) {
      all.close();
      throw new IllegalArgumentException("the model generated non-finite pixels (NaN or Inf)");
    }
    return all;
  }

  /** Uniform noise in [0, 1): what a model that learned nothing might produce. */
  private static INDArray noise(int n, List<Integer> shape, long seed) {
    int pixels = shape.stream().reduce(1, (a, b) -> a * b);
    float[] values = new float[n * pixels];
    Random random = new Random(seed ^ 0x6E6F697365L);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat();
    }
    long[] dims = new long[shape.size() + 1];
    dims[0] = n;
    for (int i = 0; i < shape.size(); i++) {
      dims[i + 1] = shape.get(i);
    }
    return Nd4j.create(values, dims, 'c');
  }

  private TestFeatures testFeatures(Reference reference, Examples test) {
    int[] rows = sample(test.size(), properties.testImages(), properties.referenceSeed());
    double[][] features;
    try (INDArray images = test.features(rows)) {
      features = reference.activations(images).features();
    }
    int half = features.length / 2;
    double halfDistance =
        FrechetDistance.between(
            Arrays.copyOfRange(features, 0, half), Arrays.copyOfRange(features, half, 2 * half));
    log.info(
        "Reference features of '{}': {} test images, half vs half Fréchet distance {}",
        reference.dataset(),
        features.length,
        String.format("%.3f", halfDistance));
    return new TestFeatures(FrechetDistance.Gaussian.of(features), halfDistance);
  }

  /** Up to {@code max} distinct indices of [0, n) in a seeded random order. */
  static int[] sample(int n, int max, long seed) {
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return Arrays.copyOf(all, Math.min(n, max));
  }

  private static double meanTopProbability(double[][] probabilities) {
    double sum = 0;
    for (double[] p : probabilities) {
      double top = 0;
      for (double v : p) {
        top = Math.max(top, v);
      }
      sum += p.length == 0 ? 0 : top;
    }
    return sum / probabilities.length;
  }
}
