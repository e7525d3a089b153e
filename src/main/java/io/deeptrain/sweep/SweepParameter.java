package io.deeptrain.sweep;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The values one parameter takes: a list, or (random search only) a range. */
@Schema(
    description =
        "Either `values` (any JSON values: numbers, strings, objects) or a range `min`..`max` with"
            + " a `scale` (RANDOM search only; integer bounds draw integers).",
    example =
        """
        {"min": 0.0001, "max": 0.1, "scale": "LOG"}""")
public record SweepParameter(
    @ArraySchema(
            arraySchema = @Schema(description = "The values to try, 1 to 256."),
            schema =
                @Schema(implementation = Object.class, description = "A JSON value for the field."))
        List<JsonNode> values,
    @Schema(description = "Lower bound, inclusive.") Number min,
    @Schema(description = "Upper bound, inclusive.") Number max,
    @Schema(
            description = "LINEAR: uniform in [min, max]; LOG: uniform in log space (min > 0).",
            defaultValue = "LINEAR")
        Scale scale) {

  /** How a range is sampled. */
  public enum Scale {
    LINEAR,
    LOG
  }

  boolean ranged() {
    return min != null || max != null;
  }
}
