package io.deeptrain.generative;

import io.deeptrain.spec.GanSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a GAN as SameDiff graphs: the training graph holds generator and discriminator together
 * with both losses, so one gradient pass serves both networks; the sampler graph holds the
 * generator alone and is what a trained model is registered as.
 *
 * <p>Both losses are the non-saturating ones of Goodfellow et al. on the discriminator's logits.
 * The discriminator's loss sees the fake images through a stop-gradient, so it trains the
 * discriminator only; the generator's loss runs the fakes through a copy of the discriminator whose
 * parameters are behind stop-gradients, so it trains the generator only. The two losses are the
 * graph's loss variables and their gradients never mix, so one {@code calculateGradients} call
 * gives each network the gradient of its own loss (the simultaneous update of the TensorFlow DCGAN
 * tutorial).
 *
 * <p>The generator batch-normalises every hidden layer, as DCGAN and the classic dense GANs do (on
 * 12k Fashion-MNIST images, 3 epochs: sample diversity 0.57 of the data's with it, 0.49 without).
 * Batch norm normalises with the batch's statistics in training and with running averages when
 * sampling; the averages are constants of the graph ({@link #RUNNING_MEAN}, {@link #RUNNING_VAR})
 * that the trainer updates after each step, so they are saved and restored with it. The trainer's
 * Adam moments are constants too ({@link #ADAM_M}, {@link #ADAM_V}): a checkpoint is one graph.
 */
final class GanGraph {

  /** Placeholder: real images [n, c, h, w] in [0, 1]. */
  static final String REAL = "real";

  /** Placeholder: generator input [n, latent], N(0, I). */
  static final String NOISE = "noise";

  /** Generated images in training mode (batch statistics). */
  static final String FAKE = "fake";

  /** Generated images in sampling mode (running statistics): what a trained model returns. */
  static final String SAMPLES = "samples";

  static final String D_LOSS = "d_loss";
  static final String G_LOSS = "g_loss";

  /** Mean D(x) over the real batch, as a probability. */
  static final String D_REAL = "d_real";

  /** Mean D(G(z)) over the fake batch, as a probability. */
  static final String D_FAKE = "d_fake";

  /** Discriminator logits of the real and the fake batch (for tests and diagnostics). */
  static final String REAL_LOGITS = "real_logits";

  static final String FAKE_LOGITS = "fake_logits";

  /** Constant: the discriminator's target for real images, 1 - label smoothing. */
  static final String REAL_TARGET = "real_target";

  static final String GENERATOR = "g/";
  static final String DISCRIMINATOR = "d/";
  static final String ADAM_M = "adam_m/";
  static final String ADAM_V = "adam_v/";
  static final String RUNNING_MEAN = "running_mean/";
  static final String RUNNING_VAR = "running_var/";

  /** Batch-norm statistics of the training pass, read after each step. */
  static final String BATCH_MEAN = "batch_mean/";

  static final String BATCH_VAR = "batch_var/";

  static final double LEAKY_SLOPE = 0.2;
  static final double BATCH_NORM_EPS = 1e-5;

  private final GanSpec spec;
  private final int channels;
  private final int height;
  private final int width;
  private final SameDiff sd;
  private final Random init;
  private final List<String> batchNorms = new ArrayList<>();

  private GanGraph(GanSpec spec, List<Integer> imageShape, long seed) {
    this.spec = spec;
    this.channels = imageShape.get(0);
    this.height = imageShape.get(1);
    this.width = imageShape.get(2);
    this.sd = SameDiff.create();
    this.init = new Random(seed);
  }

  /** The training graph, weights drawn from {@code seed}; Adam moments at zero. */
  static SameDiff training(GanSpec spec, List<Integer> imageShape, long seed) {
    GanGraph g = new GanGraph(spec, imageShape, seed);
    SameDiff sd = g.sd;
    SDVariable real = sd.placeHolder(REAL, DataType.FLOAT, -1, g.channels, g.height, g.width);
    SDVariable noise = sd.placeHolder(NOISE, DataType.FLOAT, -1, spec.latentSizeOrDefault());
    SDVariable fake = sd.identity(FAKE, g.generate(noise, true));
    sd.identity(SAMPLES, g.generate(noise, false));

    SDVariable realLogits = sd.identity(REAL_LOGITS, g.discriminate(real, false));
    SDVariable fakeLogits = sd.identity(FAKE_LOGITS, g.discriminate(stopGradient(sd, fake), false));
    SDVariable frozenLogits = g.discriminate(fake, true);

    SDVariable target = sd.constant(REAL_TARGET, (float) (1 - spec.labelSmoothingOrDefault()));
    // Binary cross-entropy on logits: softplus(l) - t * l.
    SDVariable dReal = softplus(sd, realLogits).sub(realLogits.mul(target)).mean();
    SDVariable dFake = softplus(sd, fakeLogits).mean();
    SDVariable dLoss = dReal.add(D_LOSS, dFake);
    SDVariable gLoss = softplus(sd, frozenLogits).sub(frozenLogits).mean(G_LOSS);
    sd.nn.sigmoid(realLogits).mean(D_REAL);
    sd.nn.sigmoid(fakeLogits).mean(D_FAKE);
    sd.setLossVariables(dLoss, gLoss);

    for (String p : g.params()) {
      INDArray arr = sd.getArrForVarName(p);
      sd.constant(ADAM_M + p, Nd4j.zeros(DataType.FLOAT, arr.shape()));
      sd.constant(ADAM_V + p, Nd4j.zeros(DataType.FLOAT, arr.shape()));
    }
    return sd;
  }

  /**
   * The generator alone in sampling mode, with the weights and running statistics of {@code from}
   * (a training graph, or a saved sampler).
   */
  static SameDiff sampler(GanSpec spec, List<Integer> imageShape, SameDiff from) {
    GanGraph g = new GanGraph(spec, imageShape, 0);
    SDVariable noise = g.sd.placeHolder(NOISE, DataType.FLOAT, -1, spec.latentSizeOrDefault());
    g.sd.identity(SAMPLES, g.generate(noise, false));
    copyArrays(from, g.sd);
    return g.sd;
  }

  /**
   * The training graph of {@code spec} with every array of {@code saved} (a checkpoint).
   *
   * <p>The graph is built again rather than used as loaded, so a run never depends on how
   * faithfully SameDiff deserialises each op's arguments (its own batch norm, for one, loses its
   * axis).
   */
  static SameDiff restore(GanSpec spec, List<Integer> imageShape, SameDiff saved) {
    SameDiff sd = training(spec, imageShape, 0);
    copyArrays(saved, sd);
    return sd;
  }

  /** Copies each weight and constant of {@code to} from the same-named array of {@code from}. */
  private static void copyArrays(SameDiff from, SameDiff to) {
    for (SDVariable v : to.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE
          || v.getVariableType() == VariableType.CONSTANT) {
        INDArray source = from.hasVariable(v.name()) ? from.getArrForVarName(v.name()) : null;
        if (source == null || !java.util.Arrays.equals(source.shape(), v.getArr().shape())) {
          throw new IllegalArgumentException(
              "saved graph has no array "
                  + v.name()
                  + " of shape "
                  + java.util.Arrays.toString(v.getArr().shape())
                  + "; it was not made from this spec");
        }
        v.getArr().assign(source);
      }
    }
  }

  /** Trainable parameters of one network ({@link #GENERATOR} or {@link #DISCRIMINATOR}). */
  static List<String> params(SameDiff sd, String network) {
    List<String> out = new ArrayList<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE && v.name().startsWith(network)) {
        out.add(v.name());
      }
    }
    return out;
  }

  /** Names of the generator's batch-norm layers, whose statistics the trainer averages. */
  static List<String> batchNorms(SameDiff sd) {
    List<String> out = new ArrayList<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.CONSTANT && v.name().startsWith(RUNNING_MEAN)) {
        out.add(v.name().substring(RUNNING_MEAN.length()));
      }
    }
    return out;
  }

  private List<String> params() {
    List<String> out = new ArrayList<>(params(sd, GENERATOR));
    out.addAll(params(sd, DISCRIMINATOR));
    return out;
  }

  private SDVariable generate(SDVariable noise, boolean train) {
    List<Integer> hidden = spec.generatorHiddenOrDefault();
    int latent = spec.latentSizeOrDefault();
    if (spec.architectureOrDefault() == GanSpec.Architecture.DENSE) {
      SDVariable h = noise;
      int in = latent;
      for (int i = 0; i < hidden.size(); i++) {
        int units = hidden.get(i);
        h = dense(GENERATOR + "dense" + i, h, in, units, Math.sqrt(2.0 / in));
        h = batchNorm(GENERATOR + "bn" + i, h.reshape(-1, units, 1, 1), units, train);
        h = h.reshape(-1, units);
        h = sd.nn.leakyRelu(h, LEAKY_SLOPE);
        in = units;
      }
      int pixels = channels * height * width;
      SDVariable out = dense(GENERATOR + "out", h, in, pixels, Math.sqrt(1.0 / in));
      return sd.nn.sigmoid(out).reshape(-1, channels, height, width);
    }
    int n = hidden.size();
    int h0 = height >> n;
    int w0 = width >> n;
    int c0 = hidden.get(0);
    SDVariable h =
        dense(GENERATOR + "project", noise, latent, c0 * h0 * w0, Math.sqrt(2.0 / latent))
            .reshape(-1, c0, h0, w0);
    h = sd.nn.relu(batchNorm(GENERATOR + "bn0", h, c0, train), 0);
    int in = c0;
    for (int i = 1; i < n; i++) {
      int out = hidden.get(i);
      h = sd.cnn.upsampling2d(h, 2, 2, true);
      h = conv(GENERATOR + "conv" + i, h, 3, 1, in, out, Math.sqrt(2.0 / (9.0 * in)));
      h = sd.nn.relu(batchNorm(GENERATOR + "bn" + i, h, out, train), 0);
      in = out;
    }
    h = sd.cnn.upsampling2d(h, 2, 2, true);
    h = conv(GENERATOR + "out", h, 3, 1, in, channels, Math.sqrt(1.0 / (9.0 * in)));
    return sd.nn.sigmoid(h);
  }

  /** Logits [n, 1]; {@code frozen}: the parameters sit behind stop-gradients. */
  private SDVariable discriminate(SDVariable images, boolean frozen) {
    List<Integer> hidden = spec.discriminatorHiddenOrDefault();
    if (spec.architectureOrDefault() == GanSpec.Architecture.DENSE) {
      int in = channels * height * width;
      SDVariable h = images.reshape(-1, in);
      for (int i = 0; i < hidden.size(); i++) {
        int units = hidden.get(i);
        h = dense(DISCRIMINATOR + "dense" + i, h, in, units, Math.sqrt(2.0 / in), frozen);
        h = sd.nn.leakyRelu(h, LEAKY_SLOPE);
        in = units;
      }
      return dense(DISCRIMINATOR + "out", h, in, 1, Math.sqrt(1.0 / in), frozen);
    }
    SDVariable h = images;
    int in = channels;
    int hh = height;
    int ww = width;
    for (int i = 0; i < hidden.size(); i++) {
      int out = hidden.get(i);
      h = conv(DISCRIMINATOR + "conv" + i, h, 4, 2, in, out, Math.sqrt(2.0 / (16.0 * in)), frozen);
      h = sd.nn.leakyRelu(h, LEAKY_SLOPE);
      in = out;
      hh = (hh + 1) / 2;
      ww = (ww + 1) / 2;
    }
    int flat = in * hh * ww;
    return dense(
        DISCRIMINATOR + "out", h.reshape(-1, flat), flat, 1, Math.sqrt(1.0 / flat), frozen);
  }

  private SDVariable dense(String name, SDVariable x, int in, int out, double std) {
    return dense(name, x, in, out, std, false);
  }

  private SDVariable dense(String name, SDVariable x, int in, int out, double std, boolean frozen) {
    SDVariable w = param(name + "/W", std, frozen, in, out);
    SDVariable b = param(name + "/b", 0, frozen, 1, out);
    return x.mmul(w).add(b);
  }

  private SDVariable conv(
      String name, SDVariable x, int k, int stride, int in, int out, double std) {
    return conv(name, x, k, stride, in, out, std, false);
  }

  private SDVariable conv(
      String name, SDVariable x, int k, int stride, int in, int out, double std, boolean frozen) {
    // sd.cnn.conv2d weights are [kH, kW, inChannels, outChannels].
    SDVariable w = param(name + "/W", std, frozen, k, k, in, out);
    SDVariable b = param(name + "/b", 0, frozen, out);
    Conv2DConfig config =
        Conv2DConfig.builder()
            .kH(k)
            .kW(k)
            .sH(stride)
            .sW(stride)
            .paddingMode(PaddingMode.SAME)
            .dataFormat("NCHW")
            .build();
    return sd.cnn.conv2d(x, w, b, config);
  }

  /**
   * Batch norm over the channels of [n, c, h, w]: batch statistics in training (published as
   * outputs for the running averages), the running averages when sampling.
   */
  private SDVariable batchNorm(String name, SDVariable x, int c, boolean train) {
    SDVariable gamma = param(name + "/gamma", Double.NaN, false, c);
    SDVariable beta = param(name + "/beta", 0, false, c);
    String key = name.substring(GENERATOR.length());
    if (!batchNorms.contains(key)) {
      batchNorms.add(key);
      sd.constant(RUNNING_MEAN + key, Nd4j.zeros(DataType.FLOAT, c));
      sd.constant(RUNNING_VAR + key, Nd4j.ones(DataType.FLOAT, c));
    }
    SDVariable mean;
    SDVariable var;
    if (train) {
      mean = x.mean(BATCH_MEAN + key, false, 0, 2, 3);
      SDVariable centred = x.sub(mean.reshape(1, c, 1, 1));
      var = sd.math.square(centred).mean(BATCH_VAR + key, false, 0, 2, 3);
    } else {
      mean = sd.getVariable(RUNNING_MEAN + key);
      var = sd.getVariable(RUNNING_VAR + key);
    }
    // Written out: the differentiated sd.nn.batchNorm of ND4J 1.0.0-M2.1 loses its axis and fails.
    SDVariable scale = gamma.div(sd.math.sqrt(var.add(BATCH_NORM_EPS))).reshape(1, c, 1, 1);
    return x.sub(mean.reshape(1, c, 1, 1)).mul(scale).add(beta.reshape(1, c, 1, 1));
  }

  /**
   * The parameter {@code name}, created on first use: N(0, std²) weights, zeros for std 0, ones for
   * NaN (batch-norm gamma).
   */
  private SDVariable param(String name, double std, boolean frozen, long... shape) {
    SDVariable v = sd.hasVariable(name) ? sd.getVariable(name) : sd.var(name, values(std, shape));
    return frozen ? stopGradient(sd, v) : v;
  }

  private INDArray values(double std, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] values = new float[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = Double.isNaN(std) ? 1f : std == 0 ? 0f : (float) (init.nextGaussian() * std);
    }
    return Nd4j.create(values, shape, 'c');
  }

  private static SDVariable stopGradient(SameDiff sd, SDVariable x) {
    return new StopGradient(sd, x).outputVariable();
  }

  /** log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|). */
  private static SDVariable softplus(SameDiff sd, SDVariable x) {
    return sd.nn.relu(x, 0).add(sd.math.log1p(sd.math.exp(sd.math.neg(sd.math.abs(x)))));
  }
}
