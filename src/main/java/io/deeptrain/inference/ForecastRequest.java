package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The recent past of a time series, oldest step first. */
@Schema(example = "{\"history\":[[0.1],[0.3],[0.5]]}")
public record ForecastRequest(
    @Schema(
            description =
                "Rows of the series, oldest first, each with every column in the dataset's order"
                    + " (raw values; the model standardises them as in training). 1 to 10000 rows;"
                    + " the model was trained on windows of its inputShape[0] rows.",
            requiredMode = Schema.RequiredMode.REQUIRED)
        List<List<Double>> history) {}
