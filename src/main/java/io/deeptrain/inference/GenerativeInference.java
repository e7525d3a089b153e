package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.Examples;
import io.deeptrain.dataset.ImageCodec;
import io.deeptrain.dataset.ImageDecodeException;
import io.deeptrain.generative.GenerativeModel;
import io.deeptrain.generative.ImageGrids;
import io.deeptrain.generative.Inpainter;
import io.deeptrain.generative.VaeModel;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.springframework.stereotype.Service;

/**
 * Serves generative models: generation for every family, and for VAEs reconstruction, interpolation
 * between two images' codes, the test split's latent map, and inpainting (any model that is an
 * {@link Inpainter}). A model that cannot do what is asked is a 409 naming what it is and what it
 * supports.
 */
@Service
class GenerativeInference {

  static final int MAX_IMAGES = 256;
  static final int DEFAULT_N = 16;
  static final int DEFAULT_STEPS = 8;
  static final int MAX_STEPS = 64;
  static final int DEFAULT_LATENT_LIMIT = 2000;
  static final int MAX_LATENT_LIMIT = 10_000;

  private static final SecureRandom SEEDS = new SecureRandom();

  private final ModelCache cache;
  private final ComputeBackend compute;
  private final DatasetCatalog datasets;

  GenerativeInference(ModelCache cache, ComputeBackend compute, DatasetCatalog datasets) {
    this.cache = cache;
    this.compute = compute;
    this.datasets = datasets;
  }

  /** Generated images with the seed that made them. */
  record Generated(UUID modelId, long seed, INDArray images) {}

  Generated generate(UUID id, GenerateRequest request) {
    int n = request == null || request.n() == null ? DEFAULT_N : request.n();
    if (n < 1 || n > MAX_IMAGES) {
      throw ApiException.invalid("n", "must be 1 to " + MAX_IMAGES + ", got " + n);
    }
    long seed = request == null || request.seed() == null ? SEEDS.nextLong() : request.seed();
    GenerativeModel model = generative(id, "generate");
    compute.applyThreadsToCurrentThread();
    return new Generated(id, seed, model.generate(n, seed));
  }

  ReconstructResponse reconstruct(UUID id, ReconstructRequest request) {
    VaeModel vae = vae(id, "reconstruct");
    List<String> images = request == null ? null : request.images();
    if (images == null || images.isEmpty() || images.size() > MAX_IMAGES) {
      throw ApiException.invalid(
          "images",
          "must list 1 to "
              + MAX_IMAGES
              + " base64 PNG/JPEG images, got "
              + (images == null ? "none" : images.size()));
    }
    List<FieldViolation> violations = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      float[] row = pixels(images.get(i), "images[" + i + "]", vae.imageShape(), violations);
      rows.add(row);
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    compute.applyThreadsToCurrentThread();
    try (INDArray originals = batch(rows, vae.imageShape());
        INDArray reconstructions = vae.reconstruct(originals);
        INDArray both = Nd4j.concat(0, originals, reconstructions)) {
      Base64.Encoder b64 = Base64.getEncoder();
      List<String> a = new ArrayList<>();
      List<String> b = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        a.add(b64.encodeToString(ImageGrids.png(originals.get(NDArrayIndex.point(i)))));
        b.add(b64.encodeToString(ImageGrids.png(reconstructions.get(NDArrayIndex.point(i)))));
      }
      return new ReconstructResponse(
          id, shape(originals), b64.encodeToString(ImageGrids.grid(both, rows.size())), a, b);
    }
  }

  /** The strip of images decoded along the line between the two images' codes. */
  INDArray interpolate(UUID id, InterpolateRequest request) {
    VaeModel vae = vae(id, "interpolate");
    if (request == null) {
      throw ApiException.invalid("from", "is required: a base64 PNG/JPEG image");
    }
    int steps = request.steps() == null ? DEFAULT_STEPS : request.steps();
    List<FieldViolation> violations = new ArrayList<>();
    if (steps < 2 || steps > MAX_STEPS) {
      violations.add(
          new FieldViolation(
              "steps", "must be 2 to " + MAX_STEPS + " (both ends included), got " + steps));
    }
    float[] from = pixels(request.from(), "from", vae.imageShape(), violations);
    float[] to = pixels(request.to(), "to", vae.imageShape(), violations);
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    compute.applyThreadsToCurrentThread();
    try (INDArray ends = batch(List.of(from, to), vae.imageShape());
        INDArray codes = vae.encode(ends)) {
      INDArray a = codes.getRow(0);
      INDArray b = codes.getRow(1);
      INDArray path = Nd4j.create(DataType.FLOAT, steps, codes.size(1));
      for (int i = 0; i < steps; i++) {
        double t = i / (double) (steps - 1);
        path.putRow(i, a.mul(1 - t).addi(b.mul(t)));
      }
      try (path) {
        return vae.decode(path);
      }
    }
  }

  LatentResponse latent(UUID id, Integer limit) {
    int max = limit == null ? DEFAULT_LATENT_LIMIT : limit;
    if (max < 1 || max > MAX_LATENT_LIMIT) {
      throw ApiException.invalid("limit", "must be 1 to " + MAX_LATENT_LIMIT + ", got " + max);
    }
    VaeModel vae = vae(id, "latent");
    ModelVersion v = vae.version();
    DatasetSplit split;
    try {
      var training = v.training().resolved();
      split = datasets.open(v.dataset(), training.testFraction(), training.seed());
    } catch (ApiException e) {
      throw ApiException.wrongState(
          "model " + id + " was trained on dataset '" + v.dataset() + "', which is gone");
    }
    Examples test = split.test();
    int n = Math.min(max, test.size());
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    compute.applyThreadsToCurrentThread();
    List<LatentResponse.Point> points = new ArrayList<>(n);
    List<String> labels = v.labels() != null ? v.labels() : split.classes();
    int[] classes = test.labels();
    try (INDArray images = test.features(rows);
        INDArray codes = vae.encode(images)) {
      boolean twoD = codes.size(1) > 1;
      for (int i = 0; i < n; i++) {
        double x = codes.getDouble(i, 0);
        double y = twoD ? codes.getDouble(i, 1) : 0;
        int c = classes[i];
        points.add(new LatentResponse.Point(x, y, c < labels.size() ? labels.get(c) : "" + c));
      }
      return new LatentResponse(id, v.dataset(), (int) codes.size(1), points, labels);
    }
  }

  /** The original, the masked input and the completion, each [1, c, h, w]. */
  record Inpainted(
      UUID modelId,
      long seed,
      int erased,
      INDArray original,
      INDArray masked,
      INDArray completed) {}

  Inpainted inpaint(UUID id, InpaintRequest request) {
    LoadedModel loaded = cache.get(id);
    GenerativeModel model = loaded.generative();
    if (!(model instanceof Inpainter inpainter)) {
      throw wrongKind(
          loaded, "inpaint", "a model that can fill in pixels (a VAE or a diffusion model)");
    }
    if (request == null) {
      throw ApiException.invalid("image", "is required: a base64 PNG/JPEG image");
    }
    List<Integer> shape = model.imageShape();
    int c = shape.get(0);
    int h = shape.get(1);
    int w = shape.get(2);
    List<FieldViolation> violations = new ArrayList<>();
    float[] pixels = pixels(request.image(), "image", shape, violations);
    boolean[] erased = new boolean[h * w];
    boolean hasMask = request.mask() != null;
    boolean hasList = request.erased() != null;
    if (hasMask == hasList) {
      violations.add(
          new FieldViolation(
              "mask",
              "send exactly one of mask (base64 PNG, non-zero = erased) or erased ([[row, col],"
                  + " ...])"));
    } else if (hasMask) {
      float[] mask = pixels(request.mask(), "mask", List.of(1, h, w), violations, true);
      if (mask != null) {
        for (int i = 0; i < mask.length; i++) {
          erased[i] = mask[i] > 0;
        }
      }
    } else {
      List<List<Integer>> list = request.erased();
      for (int i = 0; i < list.size() && violations.size() < 20; i++) {
        List<Integer> p = list.get(i);
        if (p == null
            || p.size() != 2
            || p.get(0) == null
            || p.get(1) == null
            || p.get(0) < 0
            || p.get(0) >= h
            || p.get(1) < 0
            || p.get(1) >= w) {
          violations.add(
              new FieldViolation(
                  "erased[" + i + "]",
                  "must be [row, column] with row 0 to "
                      + (h - 1)
                      + " and column 0 to "
                      + (w - 1)
                      + ", got "
                      + p));
        } else {
          erased[p.get(0) * w + p.get(1)] = true;
        }
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    int count = 0;
    for (boolean e : erased) {
      count += e ? 1 : 0;
    }
    if (count == 0) {
      throw ApiException.invalid(
          hasMask ? "mask" : "erased", "erases no pixel: nothing to fill in");
    }
    float[] known = new float[c * h * w];
    float[] masked = new float[c * h * w];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < h * w; i++) {
        int k = ch * h * w + i;
        known[k] = erased[i] ? 0f : 1f;
        masked[k] = erased[i] ? 0.5f : pixels[k];
      }
    }
    long seed = request.seed() == null ? SEEDS.nextLong() : request.seed();
    compute.applyThreadsToCurrentThread();
    INDArray original = batch(List.of(pixels), shape);
    try (INDArray mask = batch(List.of(known), shape)) {
      INDArray completed = inpainter.inpaint(original, mask, seed);
      return new Inpainted(id, seed, count, original, batch(List.of(masked), shape), completed);
    }
  }

  private GenerativeModel generative(UUID id, String endpoint) {
    LoadedModel loaded = cache.get(id);
    if (loaded.generative() == null) {
      throw wrongKind(loaded, endpoint, "a generative model (VAE, GAN or diffusion)");
    }
    return loaded.generative();
  }

  private VaeModel vae(UUID id, String endpoint) {
    LoadedModel loaded = cache.get(id);
    if (!(loaded.generative() instanceof VaeModel vae)) {
      throw wrongKind(loaded, endpoint, "a VAE");
    }
    return vae;
  }

  /** 409: what the model is, what it supports, and what the endpoint needs. */
  static ApiException wrongKind(LoadedModel loaded, String endpoint, String needs) {
    ModelVersion v = loaded.version();
    GenerativeModel g = loaded.generative();
    String what;
    String supports;
    if (g instanceof VaeModel) {
      what = "a VAE";
      supports = "/generate, /reconstruct, /interpolate, /latent, /inpaint";
    } else if (g != null) {
      what = "a " + v.spec().type() + " generative model";
      supports = g instanceof Inpainter ? "/generate, /inpaint" : "/generate";
    } else if (v.spec() instanceof LstmSpec lstm
        && lstm.headOrDefault() == LstmSpec.Head.LANGUAGE_MODEL) {
      what = "a language model";
      supports = "/complete";
    } else if (v.spec() instanceof LstmSpec lstm
        && lstm.headOrDefault() != LstmSpec.Head.CLASSIFICATION) {
      what = "a forecaster";
      supports = "/forecast";
    } else {
      what = "a " + v.spec().type() + " classifier";
      supports = "/classify";
    }
    return ApiException.wrongState(
        "model "
            + v.id()
            + " is "
            + what
            + ": it supports "
            + supports
            + "; /"
            + endpoint
            + " needs "
            + needs);
  }

  /**
   * One base64 image as pixels in [0, 1], channel-major, resized to {@code shape} [c, h, w]; a
   * violation (and null) when it is missing, cannot be decoded, or (except a mask) has the wrong
   * colour for the model.
   */
  private static float[] pixels(
      String encoded, String field, List<Integer> shape, List<FieldViolation> violations) {
    return pixels(encoded, field, shape, violations, false);
  }

  /**
   * {@link #pixels(String, String, List, List)}; {@code anyColour}: read for shape only (a mask).
   */
  private static float[] pixels(
      String encoded,
      String field,
      List<Integer> shape,
      List<FieldViolation> violations,
      boolean anyColour) {
    if (encoded == null || encoded.isBlank()) {
      violations.add(new FieldViolation(field, "is required: a base64 PNG/JPEG image"));
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      violations.add(new FieldViolation(field, "is not valid base64: " + e.getMessage()));
      return null;
    }
    try {
      if (!anyColour) {
        // The classifier's rule: resized to the model, but a colour image for a grayscale model
        // (or the reverse) is refused rather than silently converted.
        return Classifier.pixels(bytes, shape.get(0), shape.get(1), shape.get(2));
      }
      // A mask is read for its shape only; any colour works.
      byte[] chw = ImageCodec.decode(bytes, shape.get(0), shape.get(1), shape.get(2));
      float[] out = new float[chw.length];
      for (int i = 0; i < chw.length; i++) {
        out[i] = (chw[i] & 0xff) / 255f;
      }
      return out;
    } catch (ImageDecodeException e) {
      violations.add(new FieldViolation(field, e.getMessage()));
      return null;
    }
  }

  private static INDArray batch(List<float[]> rows, List<Integer> shape) {
    int size = shape.get(0) * shape.get(1) * shape.get(2);
    float[] flat = new float[rows.size() * size];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, flat, i * size, size);
    }
    return Nd4j.create(
        flat, new long[] {rows.size(), shape.get(0), shape.get(1), shape.get(2)}, 'c');
  }

  private static List<Integer> shape(INDArray batch) {
    long[] s = batch.shape();
    return List.of((int) s[0], (int) s[1], (int) s[2], (int) s[3]);
  }
}
