package io.deeptrain.training;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * SGD-G2 (Ayadi and Turinici, "Stochastic Runge-Kutta methods and adaptive SGD-G2 stochastic
 * gradient descent", arXiv:2002.09304): plain SGD whose step size h adapts to the curvature that a
 * second gradient on the same mini-batch reveals.
 *
 * <p>One step at θ with mini-batch gradient g:
 *
 * <ol>
 *   <li>probe: g̃ = ∇f(θ − h·g) on the same batch (same dropout masks); d = g − g̃.
 *   <li>estimate: on a quadratic f = ½θᵀAθ, d = h·A·g exactly. Along g the curvature is λ_g = ⟨d,
 *       g⟩ / (h‖g‖²). The step that makes the next gradient g − t·A·g smallest is t = ⟨g,
 *       Ag⟩/‖Ag‖², which from the two gradients is <b>h_opt = h · ⟨d, g⟩ / ‖d‖²</b>. When g is an
 *       eigenvector of A (eigenvalue λ) this is exactly 1/λ, the step that lands on the minimum; in
 *       general it lies between 1/λ_max and the exact line-search step 1/λ_g, so it never
 *       overshoots along g by more than the curvature allows.
 *   <li>adapt: h moves toward h_opt geometrically, ln h ← (1 − r)·ln h + r·ln h_opt, with r =
 *       {@value #DOWN} when h_opt &lt; h and {@value #UP} when it is larger (shrinking is urgent,
 *       growing is not), then h is clamped to [{@value #MIN_STEP}, {@value #MAX_STEP}] and to the
 *       schedule's value if there is one. When ⟨d, g⟩ ≤ 0 (no positive curvature measured, e.g. a
 *       concave region or noise) or ‖d‖ = 0, h is kept.
 *   <li>update: θ ← θ − h_new · u, where u is g after DL4J's pipeline (clipping, L1/L2 and weight
 *       decay, an SGD updater with rate 1), so the new h is used at once.
 * </ol>
 *
 * <p>What h settles at: on a one-dimensional quadratic (or along one eigenvector) h → 1/λ. On an
 * ill-conditioned quadratic the gradient keeps turning toward the direction that converges slowest,
 * h_opt alternates between ≈1/λ_min and ≈1/λ_max, and the averaged h settles where both extreme
 * directions contract equally: 2/(λ_min + λ_max), the best constant step for gradient descent on
 * that quadratic. {@code SgdG2StepTests} checks both.
 *
 * <p>The paper derives its adaptive rule from comparing an order-2 stochastic Runge-Kutta step with
 * the Euler (SGD) step, using the same two gradients; the formula above is this project's
 * derivation of the quadratic-model step from them, written down so it can be checked.
 *
 * <p>A schedule caps h (h ≤ schedule(n)) rather than replacing it: a warm-up keeps the first steps
 * small, and INVERSE c/(n+1) restores the decay SGD needs to converge, while h still adapts below
 * the cap. Without a schedule only the clamp bounds h. Costs two forward-backward passes per step.
 */
final class SgdG2Step implements TrainingStep {

  static final double UP = 0.1;
  // Measured on iris: 0.5 pulled h so far below the noisy estimates' median that SGD crawled.
  static final double DOWN = 0.3;
  static final double MIN_STEP = 1e-6;
  static final double MAX_STEP = 10;

  private final TrainableNetwork net;
  private final ISchedule cap;
  private final long seed;
  private double h;

  /**
   * @param initialStep the first h (the spec's learning rate)
   * @param cap the schedule that bounds h, or null
   * @param seed seeds the dropout masks of each step, shared by its two gradient evaluations
   */
  SgdG2Step(TrainableNetwork net, double initialStep, ISchedule cap, long seed) {
    this.net = net;
    this.cap = cap;
    this.seed = seed;
    this.h = bound(initialStep, capAt(net.iterationCount(), net.epochCount()));
  }

  /**
   * The adaptation rule alone: the next step size from the current one and the two measured inner
   * products ⟨d, g⟩ and ‖d‖², bounded by {@code cap} (use +Infinity for none).
   */
  static double adapt(double h, double dg, double dd, double cap) {
    if (!(dg > 0 && dd > 0) || !Double.isFinite(dg) || !Double.isFinite(dd)) {
      return bound(h, cap);
    }
    double optimal = h * dg / dd;
    double rate = optimal < h ? DOWN : UP;
    double next = Math.exp((1 - rate) * Math.log(h) + rate * Math.log(optimal));
    return bound(next, cap);
  }

  private static double bound(double h, double cap) {
    return Math.min(Math.min(MAX_STEP, cap), Math.max(MIN_STEP, h));
  }

  private double capAt(int iteration, int epoch) {
    return cap == null ? Double.POSITIVE_INFINITY : cap.valueAt(iteration, epoch);
  }

  @Override
  public double fit(INDArray features, INDArray labels) {
    int iteration = net.iterationCount();
    long stepSeed = seed * 0x9E3779B97F4A7C15L + iteration;
    Nd4j.getRandom().setSeed(stepSeed);
    double loss = net.computeGradient(features, labels);
    if (!Double.isFinite(loss)) {
      net.clear();
      return loss;
    }
    try (INDArray g = net.gradient().dup();
        INDArray start = net.params().dup()) {
      net.params().subi(g.mul(h));
      Nd4j.getRandom().setSeed(stepSeed);
      double probeLoss = net.computeGradient(features, labels);
      INDArray d = g.sub(net.gradient());
      double dg = d.mul(g).sumNumber().doubleValue();
      double dd = d.mul(d).sumNumber().doubleValue();
      d.close();
      net.params().assign(start);
      if (!Double.isFinite(probeLoss) || !Double.isFinite(dg) || !Double.isFinite(dd)) {
        // The probe at θ − h·g blew up: h is far too large, and the run reports divergence.
        net.clear();
        return Double.NaN;
      }
      h = adapt(h, dg, dd, capAt(iteration, net.epochCount()));
      net.gradient().assign(g);
      net.applyUpdate(h, (int) features.size(0));
    }
    net.clear();
    return loss;
  }

  @Override
  public double learningRate() {
    return h;
  }

  @Override
  public boolean variesWithinEpoch() {
    return true;
  }
}
