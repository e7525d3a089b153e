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
        {"type":"DIFFUSION","timesteps":1000,"betaSchedule":"COSINE","channels":[32,64],\
        "timeEmbeddingSize":64}""")
public record DiffusionSpec(
    @Schema(description = "Diffusion steps T, 2 to 4000.", defaultValue = "1000") Integer timesteps,
    @Schema(description = "Noise schedule β_t.", defaultValue = "COSINE") BetaSchedule betaSchedule,
    @Schema(
            description =
                "U-Net channels per resolution level, highest resolution first (1 to 4 levels,"
                    + " each halving height and width).",
            defaultValue = "[32, 64]")
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
    return channels == null ? List.of(32, 64) : channels;
  }

  public int timeEmbeddingSizeOrDefault() {
    return timeEmbeddingSize == null ? 64 : timeEmbeddingSize;
  }

  /** Adds a violation per bad field, each named by its JSON path under {@code path}. */
  void validate(String path, List<FieldViolation> out) {
    // TODO(diffusion helper): bounds of every field.
  }

  /**
   * Adds a violation when the spec cannot be built for images of {@code inputShape} [channels,
   * height, width] (e.g. a size the downsampling cannot halve); called after {@link #validate}.
   */
  void checkFits(List<Integer> inputShape, String path, List<FieldViolation> out) {
    // TODO(diffusion helper)
  }
}
