package io.deeptrain.generative;

import io.deeptrain.spec.DiffusionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the noise predictor of a diffusion model as one SameDiff graph: a small U-Net.
 *
 * <p>Per level (highest resolution first): two 3x3 convolutions with SiLU, the timestep's features
 * projected to the level's channels by a dense layer and added per channel after the first; then a
 * 2x2 average pool down to the next level. On the way up: nearest-neighbour upsampling, the skip
 * connection of the same level concatenated, and the same block. A 3x3 convolution maps to the
 * image's channels. The timestep enters as its sinusoidal embedding (computed in Java, {@link
 * #timeEmbedding}) through a dense layer with SiLU shared by every level.
 *
 * <p>Placeholders {@value #NOISY} [n, c, h, w] (x_t, pixels in [-1, 1] plus noise), {@value #TIME}
 * [n, timeEmbeddingSize] and, for training, {@value #NOISE} [n, c, h, w] (the ε that was added);
 * outputs {@value #PREDICTED} (ε̂) and the mean squared error {@value #LOSS}.
 */
final class Denoiser {

  static final String NOISY = "noisy";
  static final String TIME = "time";
  static final String NOISE = "noise";
  static final String PREDICTED = "predicted_noise";
  static final String LOSS = "loss";

  private final SameDiff sd = SameDiff.create();
  private final SplittableRandom random;
  private int counter;

  private Denoiser(long seed) {
    this.random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
  }

  /** A freshly initialised denoiser for images of shape [c, h, w]; the seed fixes the weights. */
  static SameDiff build(DiffusionSpec spec, List<Integer> imageShape, long seed) {
    return new Denoiser(seed).graph(spec, imageShape);
  }

  private SameDiff graph(DiffusionSpec spec, List<Integer> imageShape) {
    int c = imageShape.get(0);
    int h = imageShape.get(1);
    int w = imageShape.get(2);
    int embedding = spec.timeEmbeddingSizeOrDefault();
    List<Integer> channels = spec.channelsOrDefault();
    SDVariable x = sd.placeHolder(NOISY, DataType.FLOAT, -1, c, h, w);
    SDVariable time = sd.placeHolder(TIME, DataType.FLOAT, -1, embedding);
    SDVariable noise = sd.placeHolder(NOISE, DataType.FLOAT, -1, c, h, w);

    SDVariable t = sd.nn.swish(dense(time, embedding, embedding));
    List<SDVariable> skips = new ArrayList<>();
    SDVariable hidden = x;
    int in = c;
    for (int level = 0; level < channels.size(); level++) {
      int out = channels.get(level);
      hidden = block(hidden, t, in, out, embedding);
      in = out;
      if (level < channels.size() - 1) {
        skips.add(hidden);
        hidden =
            sd.cnn.avgPooling2d(
                hidden, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(false).build());
      }
    }
    for (int level = channels.size() - 2; level >= 0; level--) {
      int out = channels.get(level);
      hidden = sd.concat(1, sd.cnn.upsampling2d(hidden, 2, 2, true), skips.get(level));
      hidden = block(hidden, t, in + out, out, embedding);
      in = out;
    }
    SDVariable predicted = sd.identity(PREDICTED, conv(hidden, in, c, 1.0));
    sd.loss.meanSquaredError(LOSS, noise, predicted, null);
    return sd;
  }

  /** conv → + time features per channel → SiLU → conv → SiLU. */
  private SDVariable block(SDVariable x, SDVariable t, int in, int out, int embedding) {
    SDVariable a = conv(x, in, out, 2.0);
    SDVariable perChannel = sd.expandDims(sd.expandDims(dense(t, embedding, out), 2), 3);
    a = sd.nn.swish(a.add(perChannel));
    return sd.nn.swish(conv(a, out, out, 2.0));
  }

  /** 3x3 "same" convolution; weights [kH, kW, in, out], He-style scaled by {@code gain}. */
  private SDVariable conv(SDVariable x, int in, int out, double gain) {
    String name = "conv" + counter++;
    SDVariable weights = sd.var(name + "_W", normal(Math.sqrt(gain / (9.0 * in)), 3, 3, in, out));
    SDVariable bias = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, out));
    return sd.cnn.conv2d(
        x,
        weights,
        bias,
        Conv2DConfig.builder()
            .kH(3)
            .kW(3)
            .sH(1)
            .sW(1)
            .paddingMode(PaddingMode.SAME)
            .dataFormat("NCHW")
            .build());
  }

  private SDVariable dense(SDVariable x, int in, int out) {
    String name = "dense" + counter++;
    SDVariable weights = sd.var(name + "_W", normal(Math.sqrt(1.0 / in), in, out));
    SDVariable bias = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, out));
    return x.mmul(weights).add(bias);
  }

  private INDArray normal(double std, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] values = new float[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    return Nd4j.create(values, shape, 'c');
  }

  /**
   * Sinusoidal embeddings of timesteps, [n, size]: for k < size/2, sin(t·f_k) in column k and
   * cos(t·f_k) in column size/2 + k, with f_k = 10000^(-k/(size/2)) (Vaswani et al.).
   */
  static INDArray timeEmbedding(int[] timesteps, int size) {
    int half = size / 2;
    float[] out = new float[timesteps.length * size];
    for (int i = 0; i < timesteps.length; i++) {
      for (int k = 0; k < half; k++) {
        double angle = timesteps[i] * Math.exp(-Math.log(10_000) * k / half);
        out[i * size + k] = (float) Math.sin(angle);
        out[i * size + half + k] = (float) Math.cos(angle);
      }
    }
    return Nd4j.create(out, new long[] {timesteps.length, size}, 'c');
  }
}
