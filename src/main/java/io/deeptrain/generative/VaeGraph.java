package io.deeptrain.generative;

import io.deeptrain.spec.VaeSpec;
import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a VAE as one SameDiff graph: the encoder, the decoder applied twice with the same weights
 * (to the sampled code in training, to the {@link #CODE} placeholder for generation), the losses,
 * and the inpainting objective on the decoder alone.
 *
 * <p>With the KL latent loss the encoder is stochastic: it gives a mean and a log-variance and the
 * code is {@code mean + exp(logvar / 2) * eps}, with {@code eps} fed as the {@link #NOISE}
 * placeholder so a run is seeded. With ENERGY_DISTANCE the encoder is deterministic and the batch's
 * codes are compared with as many samples of N(0, I), fed as {@link #PRIOR}.
 *
 * <p>Losses are per example (summed over pixels and latent dimensions) and averaged over the batch:
 * {@code loss = reconstruction_loss + C * latent_loss}.
 */
final class VaeGraph {

  /** Images [n, c, h, w] in [0, 1]. */
  static final String INPUT = "x";

  /** N(0, I) noise of the reparameterisation [n, latent] (KL only). */
  static final String NOISE = "eps";

  /** Samples of N(0, I) [n, latent] the codes are compared with (ENERGY_DISTANCE only). */
  static final String PRIOR = "prior";

  /** Codes to decode [n, latent]. */
  static final String CODE = "code";

  /** Inpainting: the image whose known pixels the decoded code must match [n, c, h, w]. */
  static final String TARGET = "target";

  /** Inpainting: 1 where a pixel is known, 0 where it is erased [n, c, h, w]. */
  static final String KNOWN = "known";

  /** The encoder's mean code [n, latent] (the code itself for a deterministic encoder). */
  static final String MEAN = "mean";

  /** Pixels decoded from the sampled code [n, c, h, w] (in training mode). */
  static final String RECONSTRUCTION = "reconstruction";

  /** Pixels decoded from {@link #CODE} [n, c, h, w]. */
  static final String DECODED = "decoded";

  static final String RECONSTRUCTION_LOSS = "reconstruction_loss";
  static final String LATENT_LOSS = "latent_loss";
  static final String LOSS = "loss";

  /** Per code: reconstruction error on the known pixels plus |z|^2 / 2 (the prior) [n]. */
  static final String INPAINT_ERROR = "inpaint_error";

  /** Sum of {@link #INPAINT_ERROR}: its gradient w.r.t. {@link #CODE} drives inpainting. */
  static final String INPAINT_LOSS = "inpaint_loss";

  /** Inside the square root of each distance, so the gradient at distance 0 is finite. */
  static final double DISTANCE_EPSILON = 1e-8;

  private final SameDiff sd;
  private final VaeSpec spec;
  private final int channels;
  private final int height;
  private final int width;
  private final int pixels;
  private final int latent;
  private final Random init;
  private final Conv2DConfig down;
  private final Conv2DConfig same;

  private VaeGraph(VaeSpec spec, List<Integer> shape, long seed) {
    this.sd = SameDiff.create();
    this.spec = spec;
    this.channels = shape.get(0);
    this.height = shape.get(1);
    this.width = shape.get(2);
    this.pixels = channels * height * width;
    this.latent = spec.latentSizeOrDefault();
    this.init = new Random(seed);
    this.down =
        Conv2DConfig.builder()
            .kH(3)
            .kW(3)
            .sH(2)
            .sW(2)
            .paddingMode(PaddingMode.SAME)
            .dataFormat("NCHW")
            .build();
    this.same =
        Conv2DConfig.builder()
            .kH(3)
            .kW(3)
            .sH(1)
            .sW(1)
            .paddingMode(PaddingMode.SAME)
            .dataFormat("NCHW")
            .build();
  }

  /** The whole graph for images of {@code shape} [c, h, w], weights drawn from {@code seed}. */
  static SameDiff build(VaeSpec spec, List<Integer> shape, long seed) {
    return new VaeGraph(spec, shape, seed).build();
  }

  private SameDiff build() {
    boolean kl = spec.latentLossOrDefault() == VaeSpec.LatentLoss.KL;
    SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, channels, height, width);
    SDVariable flatX = x.reshape(-1, pixels);

    SDVariable features = encoder(x);
    long featureSize = encodedSize();
    SDVariable mean =
        sd.nn
            .linear(features, weight("enc_mean_W", featureSize, latent), bias("enc_mean_b", latent))
            .rename(MEAN);
    SDVariable z;
    SDVariable latentLoss;
    if (kl) {
      SDVariable logVar =
          sd.nn.linear(
              features,
              weight("enc_logvar_W", featureSize, latent, 0.1),
              bias("enc_logvar_b", latent));
      SDVariable eps = sd.placeHolder(NOISE, DataType.FLOAT, -1, latent);
      z = mean.add(sd.math.exp(logVar.mul(0.5)).mul(eps));
      // KL(N(mean, var) || N(0, I)) per example.
      SDVariable kld =
          logVar.add(1.0).sub(sd.math.square(mean)).sub(sd.math.exp(logVar)).sum(1).mul(-0.5);
      latentLoss = kld.mean().rename(LATENT_LOSS);
    } else {
      SDVariable prior = sd.placeHolder(PRIOR, DataType.FLOAT, -1, latent);
      z = mean;
      latentLoss = energyDistance(sd, z, prior).rename(LATENT_LOSS);
    }

    decoderWeights();
    SDVariable logits = decoder(z);
    SDVariable reconLoss = reconstructionError(logits, flatX).mean().rename(RECONSTRUCTION_LOSS);
    sd.nn.sigmoid(logits).reshape(-1, channels, height, width).rename(RECONSTRUCTION);
    reconLoss.add(latentLoss.mul(spec.latentWeightOrDefault())).rename(LOSS);

    // Generation and inpainting: the same decoder on a fed code.
    SDVariable code = sd.placeHolder(CODE, DataType.FLOAT, -1, latent);
    SDVariable codeLogits = decoder(code);
    sd.nn.sigmoid(codeLogits).reshape(-1, channels, height, width).rename(DECODED);
    SDVariable target =
        sd.placeHolder(TARGET, DataType.FLOAT, -1, channels, height, width).reshape(-1, pixels);
    SDVariable known =
        sd.placeHolder(KNOWN, DataType.FLOAT, -1, channels, height, width).reshape(-1, pixels);
    SDVariable error =
        pixelError(codeLogits, target)
            .mul(known)
            .sum(1)
            .add(sd.math.square(code).sum(1).mul(0.5))
            .rename(INPAINT_ERROR);
    error.sum().rename(INPAINT_LOSS);

    sd.setLossVariables(LOSS);
    return sd;
  }

  /**
   * The energy distance between the rows of {@code z} and of {@code y} (same count n): {@code 2 E|z
   * - y| - E|z - z'| - E|y - y'|} with Euclidean norms, the within-sample means over the n(n - 1)
   * pairs of distinct rows (unbiased), each norm {@code sqrt(|.|^2 + epsilon)}.
   */
  static SDVariable energyDistance(SameDiff sd, SDVariable z, SDVariable y) {
    SDVariable n = sd.sizeAt(z, 0).castTo(DataType.FLOAT);
    SDVariable pairs = n.mul(n.sub(1.0));
    SDVariable cross = distances(sd, z, y).mean();
    SDVariable withinZ = distances(sd, z, z).sum().div(pairs);
    SDVariable withinY = distances(sd, y, y).sum().div(pairs);
    return cross.mul(2.0).sub(withinZ).sub(withinY);
  }

  /** [n, m] Euclidean distances between the rows of a [n, d] and b [m, d]. */
  private static SDVariable distances(SameDiff sd, SDVariable a, SDVariable b) {
    SDVariable diff = sd.expandDims(a, 1).sub(sd.expandDims(b, 0));
    return sd.math.sqrt(sd.math.square(diff).sum(2).add(DISTANCE_EPSILON));
  }

  /** Per example reconstruction error, summed over pixels [n]. */
  private SDVariable reconstructionError(SDVariable logits, SDVariable target) {
    return pixelError(logits, target).sum(1);
  }

  /**
   * Per pixel error of {@code logits} against {@code target}: binary cross-entropy from logits,
   * {@code max(l, 0) - l * x + log(1 + exp(-|l|))} (stable for any l), or the squared error of the
   * sigmoid output.
   */
  private SDVariable pixelError(SDVariable logits, SDVariable target) {
    if (spec.reconstructionOrDefault() == VaeSpec.Reconstruction.BERNOULLI) {
      return sd.nn
          .relu(logits, 0)
          .sub(logits.mul(target))
          .add(sd.math.log1p(sd.math.exp(sd.math.abs(logits).neg())));
    }
    return sd.math.square(sd.nn.sigmoid(logits).sub(target));
  }

  private SDVariable encoder(SDVariable x) {
    List<Integer> hidden = spec.hiddenOrDefault();
    if (spec.architectureOrDefault() == VaeSpec.Architecture.DENSE) {
      SDVariable h = x.reshape(-1, pixels);
      long in = pixels;
      for (int i = 0; i < hidden.size(); i++) {
        int out = hidden.get(i);
        h =
            sd.nn.relu(
                sd.nn.linear(h, weight("enc" + i + "_W", in, out), bias("enc" + i + "_b", out)), 0);
        in = out;
      }
      return h;
    }
    SDVariable h = x;
    long in = channels;
    for (int i = 0; i < hidden.size(); i++) {
      int out = hidden.get(i);
      h =
          sd.nn.relu(
              sd.cnn.conv2d(
                  h, kernel("enc" + i + "_K", in, out), bias("enc" + i + "_b", out), down),
              0);
      in = out;
    }
    int levels = hidden.size();
    long flat = in * (height >> levels) * (width >> levels);
    return h.reshape(-1, flat);
  }

  /** Width of the encoder's output (before the latent layers). */
  private long encodedSize() {
    List<Integer> hidden = spec.hiddenOrDefault();
    int last = hidden.size() - 1;
    if (spec.architectureOrDefault() == VaeSpec.Architecture.DENSE) {
      return hidden.get(last);
    }
    int levels = hidden.size();
    return (long) hidden.get(last) * (height >> levels) * (width >> levels);
  }

  /** Decoder variables, created once; {@link #decoder} reads them by name. */
  private void decoderWeights() {
    List<Integer> hidden = spec.hiddenOrDefault();
    int last = hidden.size() - 1;
    if (spec.architectureOrDefault() == VaeSpec.Architecture.DENSE) {
      long in = latent;
      for (int i = last; i >= 0; i--) {
        weight("dec" + i + "_W", in, hidden.get(i));
        bias("dec" + i + "_b", hidden.get(i));
        in = hidden.get(i);
      }
      weight("dec_out_W", in, pixels);
      bias("dec_out_b", pixels);
      return;
    }
    int levels = hidden.size();
    long flat = (long) hidden.get(last) * (height >> levels) * (width >> levels);
    weight("dec_in_W", latent, flat);
    bias("dec_in_b", flat);
    for (int i = last; i >= 0; i--) {
      int out = i > 0 ? hidden.get(i - 1) : channels;
      kernel("dec" + i + "_K", hidden.get(i), out);
      bias("dec" + i + "_b", out);
    }
  }

  /** Logits [n, c*h*w] of the pixels decoded from {@code z} [n, latent]. */
  private SDVariable decoder(SDVariable z) {
    List<Integer> hidden = spec.hiddenOrDefault();
    int last = hidden.size() - 1;
    if (spec.architectureOrDefault() == VaeSpec.Architecture.DENSE) {
      SDVariable h = z;
      for (int i = last; i >= 0; i--) {
        h =
            sd.nn.relu(
                sd.nn.linear(h, sd.getVariable("dec" + i + "_W"), sd.getVariable("dec" + i + "_b")),
                0);
      }
      return sd.nn.linear(h, sd.getVariable("dec_out_W"), sd.getVariable("dec_out_b"));
    }
    int levels = hidden.size();
    SDVariable h =
        sd.nn
            .relu(sd.nn.linear(z, sd.getVariable("dec_in_W"), sd.getVariable("dec_in_b")), 0)
            .reshape(-1, hidden.get(last), height >> levels, width >> levels);
    for (int i = last; i >= 0; i--) {
      h = sd.cnn.upsampling2d(h, 2, 2, true);
      h =
          sd.cnn.conv2d(
              h, sd.getVariable("dec" + i + "_K"), sd.getVariable("dec" + i + "_b"), same);
      if (i > 0) {
        h = sd.nn.relu(h, 0);
      }
    }
    return h.reshape(-1, pixels);
  }

  /** He-initialised dense weights [in, out]. */
  private SDVariable weight(String name, long in, long out) {
    return weight(name, in, out, 1.0);
  }

  private SDVariable weight(String name, long in, long out, double scale) {
    return sd.var(name, gaussian(new long[] {in, out}, scale * Math.sqrt(2.0 / in)));
  }

  /** He-initialised 3x3 kernel, [kH, kW, in, out] as SameDiff's conv2d wants. */
  private SDVariable kernel(String name, long in, long out) {
    return sd.var(name, gaussian(new long[] {3, 3, in, out}, Math.sqrt(2.0 / (9 * in))));
  }

  private SDVariable bias(String name, long size) {
    return sd.var(name, Nd4j.zeros(DataType.FLOAT, size));
  }

  private INDArray gaussian(long[] shape, double std) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] values = new float[Math.toIntExact(n)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (init.nextGaussian() * std);
    }
    return Nd4j.create(values, shape, 'c');
  }

  /**
   * Makes the calling thread's session of {@code sd} allocate fresh arrays instead of reusing
   * cached ones: with the array cache, asking for several outputs at once after a gradient
   * computation gave values that changed from call to call (M2.1).
   */
  static void freshArrays(SameDiff sd) {
    InferenceSession session =
        sd.getSessions()
            .computeIfAbsent(Thread.currentThread().getId(), k -> new InferenceSession(sd));
    if (!(session.getMmgr() instanceof NoOpMemoryMgr)) {
      session.setMmgr(new NoOpMemoryMgr());
    }
  }

  /** {@code rows} x {@code latent} samples of N(0, I) from {@code random}. */
  static INDArray normal(Random random, int rows, int latent) {
    float[] values = new float[rows * latent];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return Nd4j.create(values, new long[] {rows, latent}, 'c');
  }
}
