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
          "One network of the GAN with its own Adam optimizer. Unset learningRate: the training"
              + " spec's learningRate.")
  public record Network(
      @Schema(
              description =
                  "Hidden layers (1 to 8): units for DENSE, channels for CONVOLUTIONAL. Default:"
                      + " generator [256, 512] / [64, 32], discriminator [512, 256] / [32, 64].")
          List<Integer> hidden,
      @Schema(description = "Adam learning rate, > 0 and <= 1.") Double learningRate,
      @Schema(description = "Adam beta1, in [0, 1).", defaultValue = "0.5") Double beta1) {}

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

  /** Adds a violation per bad field, each named by its JSON path under {@code path}. */
  void validate(String path, List<FieldViolation> out) {
    // TODO(gan helper): bounds of every field, including generator/discriminator.
  }

  /**
   * Adds a violation when the spec cannot be built for images of {@code inputShape} [channels,
   * height, width] (e.g. a size the downsampling cannot halve); called after {@link #validate}.
   */
  void checkFits(List<Integer> inputShape, String path, List<FieldViolation> out) {
    // TODO(gan helper)
  }
}
