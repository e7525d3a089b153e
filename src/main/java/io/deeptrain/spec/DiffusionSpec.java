package io.deeptrain.spec;

import io.deeptrain.system.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A denoising diffusion model (DDPM): a small U-Net, conditioned on the timestep by a sinusoidal
 * embedding, trained to predict the noise added at a random step of a fixed β schedule.
 */
@Schema(
    name = "DiffusionSpec",
    description =
        "Denoising diffusion probabilistic model for image datasets: a U-Net-like convolutional"
            + " denoiser with skip connections, conditioned on the timestep (sinusoidal"
            + " embedding), trained with squared error to predict the added noise.",
    example =
        """
        {"type":"DIFFUSION","timesteps":1000,"betaSchedule":"COSINE","channels":[16,32,64],\
        "timeEmbeddingSize":64}""")
public record DiffusionSpec(
    @Schema(description = "Diffusion steps T, 2 to 4000.", defaultValue = "1000") Integer timesteps,
    @Schema(description = "Noise schedule β_t.", defaultValue = "COSINE") BetaSchedule betaSchedule,
    @Schema(
            description =
                "U-Net channels per resolution level, highest resolution first (1 to 4 levels,"
                    + " each halving height and width).",
            defaultValue = "[16, 32, 64]")
        List<Integer> channels,
    @Schema(description = "Size of the timestep embedding, 2 to 1024, even.", defaultValue = "64")
        Integer timeEmbeddingSize)
    implements ModelSpec {

  public static final String TYPE = "DIFFUSION";

  /** How β grows from step 1 to T. */
  public enum BetaSchedule {
    /** β from 1e-4 to 0.02 (Ho et al. 2020), scaled to T. */
    LINEAR,
    /** ᾱ following a squared cosine (Nichol and Dhariwal 2021). */
    COSINE
  }

  @Override
  public String type() {
    return TYPE;
  }

  public int timestepsOrDefault() {
    return timesteps == null ? 1000 : timesteps;
  }

  public BetaSchedule betaScheduleOrDefault() {
    return betaSchedule == null ? BetaSchedule.COSINE : betaSchedule;
  }

  public List<Integer> channelsOrDefault() {
    return channels == null ? List.of(16, 32, 64) : channels;
  }

  public int timeEmbeddingSizeOrDefault() {
    return timeEmbeddingSize == null ? 64 : timeEmbeddingSize;
  }

  /** Largest T: sampling with DDPM takes T denoiser passes. */
  public static final int MAX_TIMESTEPS = 4000;

  /** Most resolution levels: 28x28 halves at most twice to 7x7. */
  public static final int MAX_LEVELS = 4;

  /** Most channels per level; a CPU trains a U-Net of a few dozen channels. */
  public static final int MAX_CHANNELS = 512;

  public static final int MAX_TIME_EMBEDDING = 1024;

  /** Adds a violation per bad field, each named by its JSON path under {@code path}. */
  void validate(String path, List<FieldViolation> out) {
    if (timesteps != null && (timesteps < 2 || timesteps > MAX_TIMESTEPS)) {
      out.add(
          new FieldViolation(
              path + ".timesteps",
              "must be between 2 and " + MAX_TIMESTEPS + " diffusion steps, got " + timesteps));
    }
    if (channels != null) {
      if (channels.isEmpty() || channels.size() > MAX_LEVELS) {
        out.add(
            new FieldViolation(
                path + ".channels",
                "must list 1 to "
                    + MAX_LEVELS
                    + " levels (channels per resolution, e.g. [16, 32, 64]), got "
                    + channels.size()));
      } else {
        for (int i = 0; i < channels.size(); i++) {
          Integer c = channels.get(i);
          if (c == null || c < 1 || c > MAX_CHANNELS) {
            out.add(
                new FieldViolation(
                    path + ".channels[" + i + "]",
                    "must be an integer between 1 and " + MAX_CHANNELS + ", got " + c));
          }
        }
      }
    }
    if (timeEmbeddingSize != null
        && (timeEmbeddingSize < 2
            || timeEmbeddingSize > MAX_TIME_EMBEDDING
            || timeEmbeddingSize % 2 != 0)) {
      out.add(
          new FieldViolation(
              path + ".timeEmbeddingSize",
              "must be an even integer between 2 and "
                  + MAX_TIME_EMBEDDING
                  + " (sine and cosine halves), got "
                  + timeEmbeddingSize));
    }
  }

  /**
   * Adds a violation when the spec cannot be built for images of {@code inputShape} [channels,
   * height, width]: the U-Net halves height and width once per level after the first, and each
   * halving must be exact so the upsampled maps line up with their skip connections.
   */
  void checkFits(List<Integer> inputShape, String path, List<FieldViolation> out) {
    if (inputShape.size() != 3) {
      out.add(
          new FieldViolation(
              path + ".type",
              "a diffusion model needs image data [channels, height, width]; this dataset has "
                  + inputShape.get(0)
                  + " features per example"));
      return;
    }
    int levels = channelsOrDefault().size();
    int height = inputShape.get(1);
    int width = inputShape.get(2);
    if (halvings(height) < levels - 1 || halvings(width) < levels - 1) {
      int fit = Math.min(MAX_LEVELS, Math.min(halvings(height), halvings(width)) + 1);
      out.add(
          new FieldViolation(
              path + ".channels",
              "has "
                  + levels
                  + " levels, but "
                  + height
                  + "x"
                  + width
                  + " images cannot be halved exactly "
                  + (levels - 1)
                  + (levels == 2 ? " time" : " times")
                  + "; "
                  + (fit == 1
                      ? "use a single level (one channels entry) for this dataset"
                      : "use 1 to " + fit + " levels for this dataset")));
    }
  }

  /** How many times {@code size} halves exactly (28: twice, to 7). */
  static int halvings(int size) {
    int n = 0;
    while (size > 1 && size % 2 == 0) {
      size /= 2;
      n++;
    }
    return n;
  }
}
