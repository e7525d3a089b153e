package io.deeptrain.generative;

import io.deeptrain.spec.DiffusionSpec.BetaSchedule;

/**
 * The fixed forward process of a diffusion model: β_t for t = 0 .. T-1 and ᾱ_t = Π_{s≤t} (1 - β_s),
 * so that x_t = sqrt(ᾱ_t) x_0 + sqrt(1 - ᾱ_t) ε. Step 0 is the least noisy, T-1 almost pure noise.
 */
public final class NoiseSchedule {

  /**
   * β never reaches 1, which would erase the signal in one step and break the sampler's division.
   */
  static final double MAX_BETA = 0.999;

  /** Nichol and Dhariwal's offset: keeps β_0 from being vanishingly small. */
  static final double COSINE_OFFSET = 0.008;

  private final double[] beta;
  private final double[] alphaBar;

  private NoiseSchedule(double[] beta) {
    this.beta = beta;
    this.alphaBar = new double[beta.length];
    double product = 1;
    for (int t = 0; t < beta.length; t++) {
      product *= 1 - beta[t];
      alphaBar[t] = product;
    }
  }

  /**
   * LINEAR: β from 1e-4 to 0.02 for T = 1000 (Ho et al. 2020), both ends scaled by 1000/T so a
   * shorter chain destroys the signal as fully. COSINE: ᾱ_t = f(t)/f(0) with f(t) = cos²((t/T +
   * s)/(1 + s) · π/2), s = 0.008 (Nichol and Dhariwal 2021). β is clipped at 0.999 in both.
   */
  public static NoiseSchedule of(BetaSchedule kind, int timesteps) {
    if (timesteps < 2) {
      throw new IllegalArgumentException("a schedule needs at least 2 steps, got " + timesteps);
    }
    double[] beta = new double[timesteps];
    if (kind == BetaSchedule.LINEAR) {
      double scale = 1000.0 / timesteps;
      double first = scale * 1e-4;
      double last = scale * 0.02;
      for (int t = 0; t < timesteps; t++) {
        beta[t] = Math.min(MAX_BETA, first + (last - first) * t / (timesteps - 1));
      }
    } else {
      double f0 = cosine(0, timesteps);
      for (int t = 0; t < timesteps; t++) {
        double before = cosine(t, timesteps) / f0;
        double after = cosine(t + 1, timesteps) / f0;
        beta[t] = Math.min(MAX_BETA, 1 - after / before);
      }
    }
    return new NoiseSchedule(beta);
  }

  private static double cosine(int t, int timesteps) {
    double c =
        Math.cos(((double) t / timesteps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
    return c * c;
  }

  public int timesteps() {
    return beta.length;
  }

  public double beta(int t) {
    return beta[t];
  }

  /** ᾱ_t, the fraction of the signal's variance left at step t. */
  public double alphaBar(int t) {
    return alphaBar[t];
  }

  /**
   * {@code steps} timesteps evenly spaced over 0 .. T-1, ascending, always ending at T-1 (where
   * sampling starts); {@code steps} = T gives every step.
   */
  public int[] spaced(int steps) {
    int t = timesteps();
    if (steps < 1 || steps > t) {
      throw new IllegalArgumentException("steps must be 1 to " + t + ", got " + steps);
    }
    int[] out = new int[steps];
    if (steps == 1) {
      out[0] = t - 1;
      return out;
    }
    for (int i = 0; i < steps; i++) {
      out[i] = (int) Math.round((double) i * (t - 1) / (steps - 1));
    }
    return out;
  }
}
