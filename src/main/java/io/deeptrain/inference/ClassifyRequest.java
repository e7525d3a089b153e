package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Rows of raw (unnormalised) features, in the dataset's column order. */
@Schema(example = "{\"instances\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}")
public record ClassifyRequest(
    @Schema(description = "One array of raw feature values per instance.")
        List<List<Double>> instances) {}
