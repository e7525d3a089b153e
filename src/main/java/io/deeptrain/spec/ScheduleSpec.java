package io.deeptrain.spec;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How the learning rate changes during a run. One flat object whose {@code type} says which of the
 * other fields apply; {@code n} counts epochs or iterations from 0 (see {@code unit}).
 */
@Schema(
    description =
        "Learning-rate schedule; n counts epochs (or iterations, see unit) from 0, lr is"
            + " training.learningRate. CONSTANT: lr. INVERSE: c/(n+1), the decay that makes SGD"
            + " converge. STEP: lr*gamma^floor(n/every). EXPONENTIAL: lr*gamma^n. COSINE: from lr"
            + " down to min over the run. warmup w: lr*(n+1)/w for the first w units, then the"
            + " schedule from its start. With SGD_G2 the schedule caps the adaptive step.",
    example =
        """
        {"type":"INVERSE","c":0.05,"unit":"EPOCH","warmup":2}""")
public record ScheduleSpec(
    @Schema(description = "Which schedule.", requiredMode = Schema.RequiredMode.REQUIRED) Type type,
    @Schema(description = "What n counts.", defaultValue = "EPOCH") Unit unit,
    @Schema(description = "INVERSE only: c in c/(n+1), > 0 and <= 10; default learningRate.")
        Double c,
    @Schema(description = "STEP only: units between decays, 1 to 1000000.", defaultValue = "10")
        Integer every,
    // Default depends on the type: described, since a schema default must be a number.
    @Schema(
            description =
                "STEP and EXPONENTIAL: factor per step or per unit, in (0, 1]. Default: 0.5 for"
                    + " STEP, 0.95 for EXPONENTIAL.")
        Double gamma,
    @Schema(
            description = "COSINE only: the rate at the last unit, >= 0 and < learningRate.",
            defaultValue = "0.0")
        Double min,
    @Schema(
            description =
                "Linear warm-up over this many units, 0 to 1000000; combines with any type.",
            defaultValue = "0")
        Integer warmup) {

  public static final int DEFAULT_EVERY = 10;
  public static final double DEFAULT_STEP_GAMMA = 0.5;
  public static final double DEFAULT_EXPONENTIAL_GAMMA = 0.95;

  /** The schedules. */
  public enum Type {
    CONSTANT,
    INVERSE,
    STEP,
    EXPONENTIAL,
    COSINE
  }

  /** What the schedule's n counts. */
  public enum Unit {
    EPOCH,
    ITERATION
  }

  /** A copy with every missing field of this type set to its default ({@code lr} for INVERSE c). */
  public ScheduleSpec resolved(double lr) {
    return new ScheduleSpec(
        type,
        unit == null ? Unit.EPOCH : unit,
        type == Type.INVERSE && c == null ? Double.valueOf(lr) : c,
        type == Type.STEP && every == null ? Integer.valueOf(DEFAULT_EVERY) : every,
        gamma != null ? gamma : defaultGamma(type),
        type == Type.COSINE && min == null ? Double.valueOf(0.0) : min,
        warmup == null ? 0 : warmup);
  }

  private static Double defaultGamma(Type type) {
    return switch (type) {
      case STEP -> DEFAULT_STEP_GAMMA;
      case EXPONENTIAL -> DEFAULT_EXPONENTIAL_GAMMA;
      default -> null;
    };
  }
}
