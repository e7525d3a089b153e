package io.deeptrain.spec;

import io.deeptrain.system.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A variational autoencoder for images: an encoder to a latent code, a decoder back to pixels,
 * trained on reconstruction plus a weighted latent term that pulls the codes towards N(0, I).
 */
@Schema(
    name = "VaeSpec",
    description =
        "Variational autoencoder for image datasets (pixels in [0, 1]). Dense: the encoder has the"
            + " listed hidden layers, the decoder mirrors them. Convolutional: each entry of"
            + " `hidden` is a stride-2 convolution's channel count; the decoder mirrors them with"
            + " upsampling.",
    example =
        """
        {"type":"VAE","architecture":"DENSE","hidden":[400],"latentSize":20,\
        "reconstruction":"BERNOULLI","latentLoss":"KL","latentWeight":1.0}""")
public record VaeSpec(
    @Schema(description = "Encoder/decoder kind.", defaultValue = "DENSE")
        Architecture architecture,
    @Schema(
            description =
                "Encoder layers, input side first (1 to 8): units for DENSE, channels of stride-2"
                    + " convolutions for CONVOLUTIONAL; the decoder mirrors them. Default [400] or"
                    + " [32, 64].")
        List<Integer> hidden,
    @Schema(description = "Latent dimension, 1 to 1024.", defaultValue = "20") Integer latentSize,
    @Schema(
            description =
                "Reconstruction loss: BERNOULLI (binary cross-entropy on pixels) or GAUSSIAN"
                    + " (squared error).",
            defaultValue = "BERNOULLI")
        Reconstruction reconstruction,
    @Schema(
            description =
                "Latent loss: KL (to N(0, I), with a stochastic encoder) or ENERGY_DISTANCE between"
                    + " the batch's codes and as many samples of N(0, I) (the kernel of the"
                    + " Radon-Sobolev VAE, arXiv:1911.13135; deterministic encoder).",
            defaultValue = "KL")
        LatentLoss latentLoss,
    @Schema(description = "Weight C of the latent term, >= 0.", defaultValue = "1.0")
        Double latentWeight)
    implements ModelSpec {

  public static final String TYPE = "VAE";

  /** Dense layers or convolutions. */
  public enum Architecture {
    DENSE,
    CONVOLUTIONAL
  }

  /** How reconstruction error is measured. */
  public enum Reconstruction {
    BERNOULLI,
    GAUSSIAN
  }

  /** What pulls the latent codes towards N(0, I). */
  public enum LatentLoss {
    KL,
    ENERGY_DISTANCE
  }

  @Override
  public String type() {
    return TYPE;
  }

  public Architecture architectureOrDefault() {
    return architecture == null ? Architecture.DENSE : architecture;
  }

  public List<Integer> hiddenOrDefault() {
    if (hidden != null) {
      return hidden;
    }
    return architectureOrDefault() == Architecture.DENSE ? List.of(400) : List.of(32, 64);
  }

  public int latentSizeOrDefault() {
    return latentSize == null ? 20 : latentSize;
  }

  public Reconstruction reconstructionOrDefault() {
    return reconstruction == null ? Reconstruction.BERNOULLI : reconstruction;
  }

  public LatentLoss latentLossOrDefault() {
    return latentLoss == null ? LatentLoss.KL : latentLoss;
  }

  public double latentWeightOrDefault() {
    return latentWeight == null ? 1.0 : latentWeight;
  }

  /** Most encoder layers. */
  public static final int MAX_HIDDEN_LAYERS = 8;

  /** Most units of a dense layer. */
  public static final int MAX_UNITS = 4096;

  /** Most channels of a convolution. */
  public static final int MAX_CHANNELS = 512;

  /** Largest latent dimension. */
  public static final int MAX_LATENT = 1024;

  /** Adds a violation per bad field, each named by its JSON path under {@code path}. */
  void validate(String path, List<FieldViolation> out) {
    boolean dense = architectureOrDefault() == Architecture.DENSE;
    if (hidden != null) {
      if (hidden.isEmpty() || hidden.size() > MAX_HIDDEN_LAYERS) {
        out.add(
            new FieldViolation(
                path + ".hidden",
                "must list 1 to "
                    + MAX_HIDDEN_LAYERS
                    + " layer sizes, got "
                    + hidden.size()
                    + (dense ? " (e.g. [400])" : " (e.g. [32, 64])")));
      } else {
        int max = dense ? MAX_UNITS : MAX_CHANNELS;
        for (int i = 0; i < hidden.size(); i++) {
          Integer h = hidden.get(i);
          if (h == null || h < 1 || h > max) {
            out.add(
                new FieldViolation(
                    path + ".hidden[" + i + "]",
                    "must be 1 to " + max + (dense ? " units" : " channels") + ", got " + h));
          }
        }
      }
    }
    if (latentSize != null && (latentSize < 1 || latentSize > MAX_LATENT)) {
      out.add(
          new FieldViolation(
              path + ".latentSize", "must be 1 to " + MAX_LATENT + ", got " + latentSize));
    }
    if (latentWeight != null && !(latentWeight >= 0 && latentWeight <= 1e6)) {
      out.add(
          new FieldViolation(
              path + ".latentWeight",
              "must be a number from 0 (no latent term) to 1e6, got " + latentWeight));
    }
  }

  /**
   * Adds a violation when the spec cannot be built for images of {@code inputShape} [channels,
   * height, width] (e.g. a size the downsampling cannot halve); called after {@link #validate}.
   */
  void checkFits(List<Integer> inputShape, String path, List<FieldViolation> out) {
    if (inputShape.size() != 3) {
      out.add(
          new FieldViolation(
              path + ".type",
              "a VAE generates images; this dataset has "
                  + inputShape.get(0)
                  + " numeric features per row: choose an image dataset"));
      return;
    }
    if (architectureOrDefault() != Architecture.CONVOLUTIONAL) {
      return;
    }
    // Each stride-2 convolution halves the size and the decoder doubles it back, so the size must
    // halve exactly as many times as there are convolutions.
    int levels = hiddenOrDefault().size();
    String[] names = {"height", "width"};
    for (int d = 0; d < 2; d++) {
      int size = inputShape.get(d + 1);
      if (size % (1 << levels) != 0) {
        int fits = Integer.numberOfTrailingZeros(size);
        out.add(
            new FieldViolation(
                path + ".hidden",
                names[d]
                    + " "
                    + size
                    + " cannot be halved "
                    + levels
                    + " times (one per convolution); use at most "
                    + fits
                    + " convolution"
                    + (fits == 1 ? "" : "s")
                    + " for this dataset"));
        return;
      }
    }
  }
}
