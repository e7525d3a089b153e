package io.deeptrain.spec;

import io.swagger.v3.oas.annotations.media.Schema;

/** Gradient clipping, applied to every layer's gradient before the optimizer sees it. */
@Schema(
    description =
        "Gradient clipping. NORM: rescale each layer's gradient so its L2 norm is at most"
            + " threshold. NORM_PER_PARAM_TYPE: the same for weights and biases separately. VALUE:"
            + " clip each element to [-threshold, threshold].",
    example =
        """
        {"type":"NORM","threshold":1.0}""")
public record GradientClipping(
    @Schema(description = "How to clip.", requiredMode = Schema.RequiredMode.REQUIRED) Type type,
    @Schema(description = "Largest norm or absolute value, > 0.", defaultValue = "1.0")
        Double threshold) {

  public static final double DEFAULT_THRESHOLD = 1.0;

  /** Clipping modes. */
  public enum Type {
    NORM,
    NORM_PER_PARAM_TYPE,
    VALUE
  }

  public double thresholdOrDefault() {
    return threshold == null ? DEFAULT_THRESHOLD : threshold;
  }
}
