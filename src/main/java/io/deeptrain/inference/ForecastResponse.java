package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

@Schema(description = "The next values of the series' last column.")
public record ForecastResponse(
    UUID modelId,
    @Schema(description = "What each value is: the target column, +1 step, +2 steps, ...")
        List<String> targets,
    @Schema(description = "Predicted values, in the data's own units.") List<Double> forecast) {}
