package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What to classify: rows of raw features (tabular models), images — base64 PNG/JPEG here, or as
 * multipart files on the same endpoint — or sequences of steps (LSTM models).
 */
@Schema(example = "{\"instances\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}")
public record ClassifyRequest(
    @Schema(
            description =
                "One array per instance: raw feature values in the dataset's column order for a"
                    + " tabular model; for an image model, the C*H*W pixel values in [0, 1],"
                    + " channel-major (the model's own input).")
        List<List<Double>> instances,
    @Schema(description = "Base64-encoded PNG or JPEG images, for image models.")
        List<String> images,
    @Schema(
            description =
                "For sequence models (LSTM): one sequence per input, each an array of steps, each"
                    + " step an array of features (an image read as rows: one row of pixels in"
                    + " [0, 1] per step). All sequences of a request have the same length.")
        List<List<List<Double>>> sequences,
    @Schema(description = "How many of the most probable labels to list per input (default 3).")
        Integer topK) {}
