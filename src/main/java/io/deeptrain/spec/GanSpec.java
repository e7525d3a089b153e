package io.deeptrain.spec;

import io.deeptrain.system.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A generative adversarial network for images: a generator from a latent vector to pixels and a
 * discriminator telling real from generated, each with its own optimizer settings.
 */
@Schema(
    name = "GanSpec",
    description =
        "Generative adversarial network for image datasets (pixels in [0, 1]). DENSE: both"
            + " networks are MLPs. CONVOLUTIONAL: DCGAN-style, the generator upsamples with"
            + " convolutions, the discriminator downsamples with stride-2 convolutions.",
    example =
        """
        {"type":"GAN","architecture":"DENSE","latentSize":64,\
        "generator":{"hidden":[256,512],"learningRate":0.0002,"beta1":0.5},\
        "discriminator":{"hidden":[512,256],"learningRate":0.0002,"beta1":0.5},\
        "labelSmoothing":0.1,"discriminatorSteps":1}""")
public record GanSpec(
    @Schema(description = "Network kind.", defaultValue = "DENSE") Architecture architecture,
    @Schema(description = "Latent (noise) dimension, 1 to 1024.", defaultValue = "64")
        Integer latentSize,
    @Schema(description = "The generator.") Network generator,
    @Schema(description = "The discriminator.") Network discriminator,
    @Schema(
            description =
                "One-sided label smoothing: the discriminator's target for real images is 1 minus"
                    + " this, in [0, 0.5).",
            defaultValue = "0.0")
        Double labelSmoothing,
    @Schema(
            description = "Discriminator steps per generator step (k), 1 to 10.",
            defaultValue = "1")
        Integer discriminatorSteps)
    implements ModelSpec {

  public static final String TYPE = "GAN";

  /** Dense layers or (transposed) convolutions. */
  public enum Architecture {
    DENSE,
    CONVOLUTIONAL
  }

  /** One of the two networks, with its own Adam settings. */
  @Schema(
      name = "GanNetwork",
      description =
          "One network of the GAN with its own Adam optimizer (the training spec's optimizer and"
              + " learningRate do not apply to GANs).")
  public record Network(
      @Schema(
              description =
                  "Hidden layers (1 to 8): units for DENSE, channels for CONVOLUTIONAL. Default:"
                      + " generator [256, 512] / [64, 32], discriminator [512, 256] / [32, 64].")
          List<Integer> hidden,
      @Schema(
              description = "Adam learning rate, > 0 and <= 1 (DCGAN's 0.0002 by default).",
              defaultValue = "0.0002")
          Double learningRate,
      @Schema(description = "Adam beta1, in [0, 1).", defaultValue = "0.5") Double beta1) {

    /**
     * DCGAN's learning rate (Radford et al. 2015). The training spec's default (0.01, for
     * classifiers) makes a GAN diverge, so GANs do not inherit it.
     */
    public static final double DEFAULT_LEARNING_RATE = 0.0002;

    public double learningRateOrDefault() {
      return learningRate == null ? DEFAULT_LEARNING_RATE : learningRate;
    }

    public double beta1OrDefault() {
      return beta1 == null ? 0.5 : beta1;
    }
  }

  /** This spec's generator settings; an unset network has every default. */
  public Network generatorOrDefault() {
    return generator == null ? new Network(null, null, null) : generator;
  }

  /** This spec's discriminator settings; an unset network has every default. */
  public Network discriminatorOrDefault() {
    return discriminator == null ? new Network(null, null, null) : discriminator;
  }

  @Override
  public String type() {
    return TYPE;
  }

  public Architecture architectureOrDefault() {
    return architecture == null ? Architecture.DENSE : architecture;
  }

  public int latentSizeOrDefault() {
    return latentSize == null ? 64 : latentSize;
  }

  public double labelSmoothingOrDefault() {
    return labelSmoothing == null ? 0.0 : labelSmoothing;
  }

  public int discriminatorStepsOrDefault() {
    return discriminatorSteps == null ? 1 : discriminatorSteps;
  }

  /** Hidden sizes of the generator, input (latent) side first. */
  public List<Integer> generatorHiddenOrDefault() {
    if (generator != null && generator.hidden() != null) {
      return generator.hidden();
    }
    return architectureOrDefault() == Architecture.DENSE ? List.of(256, 512) : List.of(64, 32);
  }

  /** Hidden sizes of the discriminator, image side first. */
  public List<Integer> discriminatorHiddenOrDefault() {
    if (discriminator != null && discriminator.hidden() != null) {
      return discriminator.hidden();
    }
    return architectureOrDefault() == Architecture.DENSE ? List.of(512, 256) : List.of(32, 64);
  }

  /** Most layers per network. */
  public static final int MAX_LAYERS = 8;

  /** Most units of a dense layer. */
  public static final int MAX_UNITS = 8192;

  /** Most channels of a convolution: a CPU-sized DCGAN uses 32 to 128. */
  public static final int MAX_CHANNELS = 1024;

  /** Most latent dimensions. */
  public static final int MAX_LATENT = 1024;

  /** Most discriminator steps per generator step. */
  public static final int MAX_DISCRIMINATOR_STEPS = 10;

  /** Adds a violation per bad field, each named by its JSON path under {@code path}. */
  void validate(String path, List<FieldViolation> out) {
    if (latentSize != null && (latentSize < 1 || latentSize > MAX_LATENT)) {
      out.add(
          new FieldViolation(
              path + ".latentSize", "must be between 1 and " + MAX_LATENT + ", got " + latentSize));
    }
    network(generator, path + ".generator", out);
    network(discriminator, path + ".discriminator", out);
    if (labelSmoothing != null && !(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      out.add(
          new FieldViolation(
              path + ".labelSmoothing", "must be >= 0 and < 0.5, got " + labelSmoothing));
    }
    if (discriminatorSteps != null
        && (discriminatorSteps < 1 || discriminatorSteps > MAX_DISCRIMINATOR_STEPS)) {
      out.add(
          new FieldViolation(
              path + ".discriminatorSteps",
              "must be between 1 and " + MAX_DISCRIMINATOR_STEPS + ", got " + discriminatorSteps));
    }
  }

  private void network(Network network, String at, List<FieldViolation> out) {
    if (network == null) {
      return;
    }
    List<Integer> hidden = network.hidden();
    if (hidden != null) {
      boolean dense = architectureOrDefault() == Architecture.DENSE;
      int max = dense ? MAX_UNITS : MAX_CHANNELS;
      String what = dense ? "units" : "channels";
      if (hidden.isEmpty() || hidden.size() > MAX_LAYERS) {
        out.add(
            new FieldViolation(
                at + ".hidden",
                "must list 1 to " + MAX_LAYERS + " layer sizes, got " + hidden.size()));
      } else {
        for (int i = 0; i < hidden.size(); i++) {
          Integer h = hidden.get(i);
          if (h == null || h < 1 || h > max) {
            out.add(
                new FieldViolation(
                    at + ".hidden[" + i + "]",
                    "must be between 1 and " + max + " " + what + ", got " + h));
          }
        }
      }
    }
    Double lr = network.learningRate();
    if (lr != null && !(lr > 0 && lr <= 1)) {
      out.add(new FieldViolation(at + ".learningRate", "must be > 0 and <= 1, got " + lr));
    }
    Double beta1 = network.beta1();
    if (beta1 != null && !(beta1 >= 0 && beta1 < 1)) {
      out.add(new FieldViolation(at + ".beta1", "must be >= 0 and < 1, got " + beta1));
    }
  }

  /**
   * Adds a violation when the spec cannot be built for images of {@code inputShape} [channels,
   * height, width] (e.g. a size the downsampling cannot halve); called after {@link #validate}.
   *
   * <p>A convolutional generator with n layers starts from a feature map of size / 2^n and doubles
   * it n times (7x7 to 14x14 to 28x28 for two layers), so height and width must divide by 2^n.
   */
  void checkFits(List<Integer> inputShape, String path, List<FieldViolation> out, long maxParams) {
    if (inputShape.size() != 3) {
      out.add(
          new FieldViolation(
              path,
              "a GAN generates images [channels, height, width]; this dataset has "
                  + (inputShape.size() == 1
                      ? inputShape.get(0) + " features"
                      : "input shape " + inputShape)));
      return;
    }
    int height = inputShape.get(1);
    int width = inputShape.get(2);
    if (architectureOrDefault() == Architecture.CONVOLUTIONAL) {
      int n = generatorHiddenOrDefault().size();
      int size = Math.min(height, width);
      if (height % (1 << n) != 0 || width % (1 << n) != 0 || size >> n < 2) {
        int works = 0;
        while (works < MAX_LAYERS
            && height % (2 << works) == 0
            && width % (2 << works) == 0
            && size >> (works + 1) >= 2) {
          works++;
        }
        out.add(
            new FieldViolation(
                path + ".generator.hidden",
                "has "
                    + n
                    + " layers, so the generator doubles its feature map "
                    + n
                    + " times from "
                    + height
                    + "x"
                    + width
                    + " / "
                    + (1 << n)
                    + "; "
                    + height
                    + "x"
                    + width
                    + " cannot be halved "
                    + n
                    + " times to a whole size of at least 2"
                    + (works == 0
                        ? " (use architecture DENSE for these images)"
                        : " (use 1 to " + works + " generator layers)")));
      }
    }
    long params = parameterCount(inputShape);
    if (params > maxParams) {
      out.add(
          new FieldViolation(
              path,
              String.format(
                  "has %,d parameters on these images; at most %,d are allowed"
                      + " (deeptrain.specs.max-parameters; use fewer or smaller hidden layers)",
                  params, maxParams)));
    }
  }

  /**
   * Trainable parameters of both networks on images [channels, height, width], as the GAN's graph
   * builds them (3x3 convolutions in the generator, 4x4 stride-2 ones in the discriminator, batch
   * norm gamma and beta after each hidden generator layer).
   */
  public long parameterCount(List<Integer> imageShape) {
    long c = imageShape.get(0);
    long h = imageShape.get(1);
    long w = imageShape.get(2);
    long pixels = c * h * w;
    long total = 0;
    List<Integer> g = generatorHiddenOrDefault();
    List<Integer> d = discriminatorHiddenOrDefault();
    if (architectureOrDefault() == Architecture.DENSE) {
      long in = latentSizeOrDefault();
      for (int units : g) {
        total += in * units + units + 2L * units;
        in = units;
      }
      total += in * pixels + pixels;
      in = pixels;
      for (int units : d) {
        total += in * units + units;
        in = units;
      }
      return total + in + 1;
    }
    int n = g.size();
    long start = (h >> n) * (w >> n) * g.get(0);
    total += latentSizeOrDefault() * start + start + 2L * g.get(0);
    long in = g.get(0);
    for (int i = 1; i < n; i++) {
      total += 9 * in * g.get(i) + g.get(i) + 2L * g.get(i);
      in = g.get(i);
    }
    total += 9 * in * c + c;
    in = c;
    for (int channels : d) {
      total += 16 * in * channels + channels;
      in = channels;
      h = (h + 1) / 2;
      w = (w + 1) / 2;
    }
    return total + in * h * w + 1;
  }
}
