package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.DiffusionSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained diffusion model: its denoiser graph and noise schedule, with the two samplers.
 *
 * <ul>
 *   <li>DDIM (Song et al. 2021, η = 0): deterministic given the starting noise, over {@code steps}
 *       timesteps evenly spaced in 0 .. T-1; 20-50 steps already give clean images.
 *   <li>DDPM (Ho et al. 2020), ancestral: with {@code steps} = T the original sampler; with fewer,
 *       the chain is respaced (Nichol and Dhariwal 2021): between two kept timesteps s &lt; t the
 *       step uses β' = 1 - ᾱ_t/ᾱ_s, so the same trained model samples with fewer, larger steps.
 * </ul>
 *
 * <p>Each step predicts ε, forms x̂0 = (x_t - sqrt(1-ᾱ_t) ε̂)/sqrt(ᾱ_t) clipped to the data range
 * [-1, 1], and moves to the previous kept timestep. Every image draws its noise from its own
 * generator seeded by (seed, index), so the same seed gives the same images whatever the batch, and
 * the first 16 of 64 images equal the 16 of a request for 16.
 *
 * <p>Not thread-safe by nature (one graph): every public method synchronizes on the model.
 */
public final class DiffusionModel implements GenerativeModel, Inpainter {

  /** How to walk back from noise to an image. */
  public enum Sampler {
    DDPM,
    DDIM
  }

  /**
   * Images with, on request, the denoising trajectory of the first image.
   *
   * @param images [n, c, h, w], pixels in [0, 1]
   * @param trajectory [k, c, h, w]: x_t of the first image from pure noise to the result (about 10
   *     frames), or null when not asked for
   */
  public record Samples(INDArray images, INDArray trajectory) {}

  /**
   * Steps of {@link #generate}, and the /sample endpoint's default: 1000 images in about a minute
   * on one CPU thread.
   */
  public static final int DEFAULT_STEPS = 50;

  /**
   * The sampler of {@link #generate}: on Fashion-MNIST models trained for a few minutes, 50
   * respaced DDPM steps gave coherent garments where 50 (or 100) DDIM steps gave fragmented,
   * high-contrast shapes, at the same cost per step.
   */
  public static final Sampler GENERATE_SAMPLER = Sampler.DDPM;

  /** Ancestral steps of {@link #inpaint}; noise at every step helps the filled part blend in. */
  public static final int INPAINT_STEPS = 100;

  /** Frames of a trajectory strip. */
  static final int TRAJECTORY_FRAMES = 10;

  /** Images per denoiser pass; bounds activation memory. */
  static final int CHUNK = 128;

  private final SameDiff graph;
  private final NoiseSchedule schedule;
  private final int embedding;
  private final List<Integer> imageShape;
  private final ModelVersion version;
  private final int pixels;

  DiffusionModel(
      SameDiff graph, DiffusionSpec spec, List<Integer> imageShape, ModelVersion version) {
    this.graph = graph;
    this.schedule = NoiseSchedule.of(spec.betaScheduleOrDefault(), spec.timestepsOrDefault());
    this.embedding = spec.timeEmbeddingSizeOrDefault();
    this.imageShape = List.copyOf(imageShape);
    this.version = version;
    this.pixels = imageShape.stream().reduce(1, (a, b) -> a * b);
  }

  @Override
  public ModelVersion version() {
    return version;
  }

  @Override
  public List<Integer> imageShape() {
    return imageShape;
  }

  /** T, the number of diffusion steps the model was trained with. */
  public int timesteps() {
    return schedule.timesteps();
  }

  /** {@link #DEFAULT_STEPS} steps (all T if T is smaller) of {@link #GENERATE_SAMPLER}. */
  @Override
  public synchronized INDArray generate(int n, long seed) {
    return sample(n, Math.min(DEFAULT_STEPS, timesteps()), GENERATE_SAMPLER, seed, false).images();
  }

  /**
   * {@code n} images after {@code steps} denoising steps (1 to T) of {@code sampler}.
   *
   * @throws IllegalArgumentException when n &lt; 1 or steps is outside 1 .. T
   */
  public synchronized Samples sample(
      int n, int steps, Sampler sampler, long seed, boolean returnIntermediate) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    int[] kept = schedule.spaced(steps);
    float[] out = new float[n * pixels];
    float[][] frames = returnIntermediate ? new float[TRAJECTORY_FRAMES][] : null;
    for (int from = 0; from < n; from += CHUNK) {
      int rows = Math.min(CHUNK, n - from);
      float[] x = run(kept, sampler, seed, from, rows, null, null, from == 0 ? frames : null);
      System.arraycopy(x, 0, out, from * pixels, rows * pixels);
    }
    INDArray images = toImages(out, n);
    INDArray trajectory = null;
    if (frames != null) {
      float[] strip = new float[TRAJECTORY_FRAMES * pixels];
      for (int f = 0; f < TRAJECTORY_FRAMES; f++) {
        System.arraycopy(frames[f], 0, strip, f * pixels, pixels);
      }
      trajectory = toImages(strip, TRAJECTORY_FRAMES);
    }
    return new Samples(images, trajectory);
  }

  /**
   * RePaint-style completion (Lugmayr et al. 2022, without resampling jumps): {@link
   * #INPAINT_STEPS} respaced DDPM steps in which, before each denoiser pass at step t, the known
   * pixels are replaced by the original noised to step t, so the generated part is conditioned on
   * them at every noise level. The known pixels of the result are the input's, exactly.
   */
  @Override
  public synchronized INDArray inpaint(INDArray image, INDArray known, long seed) {
    int n = (int) image.size(0);
    float[] original = image.dup('c').data().asFloat();
    float[] mask = known.dup('c').data().asFloat();
    if (original.length != n * pixels || mask.length != original.length) {
      throw new IllegalArgumentException(
          "image and mask must both be [n, "
              + imageShape
              + "], got "
              + original.length
              + " values");
    }
    float[] scaled = new float[original.length];
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = original[i] * 2 - 1;
    }
    int[] kept = schedule.spaced(Math.min(INPAINT_STEPS, timesteps()));
    float[] out = new float[n * pixels];
    for (int from = 0; from < n; from += CHUNK) {
      int rows = Math.min(CHUNK, n - from);
      float[] x =
          run(
              kept,
              Sampler.DDPM,
              seed,
              from,
              rows,
              slice(scaled, from, rows),
              slice(mask, from, rows),
              null);
      System.arraycopy(x, 0, out, from * pixels, rows * pixels);
    }
    for (int i = 0; i < out.length; i++) {
      float generated = Math.max(0f, Math.min(1f, (out[i] + 1) / 2));
      out[i] = mask[i] >= 0.5f ? original[i] : generated;
    }
    return Nd4j.create(out, shape(n), 'c');
  }

  /**
   * One chunk of images (indices {@code first} .. first+rows-1) walked back over the {@code kept}
   * timesteps; returns x_0 in [-1, 1]. With {@code known} set, pixels where {@code mask} is 1 are
   * re-noised from {@code known} before every denoiser pass.
   */
  private float[] run(
      int[] kept,
      Sampler sampler,
      long seed,
      int first,
      int rows,
      float[] known,
      float[] mask,
      float[][] frames) {
    SplittableRandom[] noise = new SplittableRandom[rows];
    float[] x = new float[rows * pixels];
    for (int r = 0; r < rows; r++) {
      noise[r] = new SplittableRandom(mix(seed, first + r));
      for (int p = 0; p < pixels; p++) {
        x[r * pixels + p] = (float) noise[r].nextGaussian();
      }
    }
    int steps = kept.length;
    int frame = 0;
    if (frames != null) {
      frames[frame++] = snapshot(x);
    }
    for (int i = steps - 1; i >= 0; i--) {
      int t = kept[i];
      double abT = schedule.alphaBar(t);
      double abPrev = i > 0 ? schedule.alphaBar(kept[i - 1]) : 1.0;
      if (known != null) {
        renoiseKnown(x, known, mask, abT, noise);
      }
      float[] eps = predict(x, rows, t);
      double sqrtAb = Math.sqrt(abT);
      double sqrtOneMinus = Math.sqrt(1 - abT);
      if (sampler == Sampler.DDIM) {
        double a = Math.sqrt(abPrev);
        double b = Math.sqrt(1 - abPrev);
        for (int k = 0; k < x.length; k++) {
          double x0 = clip((x[k] - sqrtOneMinus * eps[k]) / sqrtAb);
          double e = (x[k] - sqrtAb * x0) / sqrtOneMinus;
          x[k] = (float) (a * x0 + b * e);
        }
      } else {
        double betaStep = 1 - abT / abPrev;
        double c0 = Math.sqrt(abPrev) * betaStep / (1 - abT);
        double ct = Math.sqrt(1 - betaStep) * (1 - abPrev) / (1 - abT);
        double sigma = i > 0 ? Math.sqrt(betaStep * (1 - abPrev) / (1 - abT)) : 0;
        for (int r = 0; r < rows; r++) {
          for (int p = 0; p < pixels; p++) {
            int k = r * pixels + p;
            double x0 = clip((x[k] - sqrtOneMinus * eps[k]) / sqrtAb);
            double z = sigma > 0 ? noise[r].nextGaussian() : 0;
            x[k] = (float) (c0 * x0 + ct * x[k] + sigma * z);
          }
        }
      }
      int done = steps - i;
      if (frames != null && frame < frames.length && done * (frames.length - 1) >= frame * steps) {
        // Frames 1 .. k-1 after evenly spread steps; the last is the result.
        frames[frame++] = snapshot(x);
      }
    }
    if (known != null) {
      renoiseKnown(x, known, mask, 1.0, noise);
    }
    while (frames != null && frame < frames.length) {
      frames[frame++] = snapshot(x);
    }
    return x;
  }

  private void renoiseKnown(
      float[] x, float[] known, float[] mask, double alphaBar, SplittableRandom[] noise) {
    double a = Math.sqrt(alphaBar);
    double b = Math.sqrt(1 - alphaBar);
    for (int r = 0; r < noise.length; r++) {
      for (int p = 0; p < pixels; p++) {
        int k = r * pixels + p;
        double z = noise[r].nextGaussian();
        if (mask[k] >= 0.5f) {
          x[k] = (float) (a * known[k] + b * z);
        }
      }
    }
  }

  /** ε̂ for a chunk at timestep t. */
  private float[] predict(float[] x, int rows, int t) {
    int[] times = new int[rows];
    java.util.Arrays.fill(times, t);
    try (INDArray noisy = Nd4j.create(x, shape(rows), 'c');
        INDArray time = Denoiser.timeEmbedding(times, embedding)) {
      INDArray eps =
          graph.outputSingle(
              Map.of(Denoiser.NOISY, noisy, Denoiser.TIME, time), Denoiser.PREDICTED);
      return eps.dup('c').data().asFloat();
    }
  }

  private float[] snapshot(float[] x) {
    float[] one = new float[pixels];
    System.arraycopy(x, 0, one, 0, pixels);
    return one;
  }

  /** Pixels in [-1, 1] → an [n, c, h, w] batch in [0, 1]. */
  private INDArray toImages(float[] x, int n) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Math.max(0f, Math.min(1f, (x[i] + 1) / 2));
    }
    return Nd4j.create(out, shape(n), 'c');
  }

  private float[] slice(float[] all, int first, int rows) {
    float[] out = new float[rows * pixels];
    System.arraycopy(all, first * pixels, out, 0, out.length);
    return out;
  }

  private long[] shape(int n) {
    return new long[] {n, imageShape.get(0), imageShape.get(1), imageShape.get(2)};
  }

  private static double clip(double v) {
    return Math.max(-1, Math.min(1, v));
  }

  /** A generator seed per (seed, index), well mixed (SplitMix64's finaliser). */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
