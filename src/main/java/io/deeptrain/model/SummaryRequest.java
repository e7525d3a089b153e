package io.deeptrain.model;

import io.deeptrain.spec.ModelSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A spec to summarise, on a dataset's input or on a shape given directly. */
@Schema(
    description = "A spec and either a dataset name or an input shape with a number of classes.",
    example =
        """
        {"spec":{"type":"CNN","layers":[\
        {"type":"CONV2D","filters":32,"kernelSize":3},{"type":"MAX_POOL"},\
        {"type":"CONV2D","filters":64,"kernelSize":3},{"type":"MAX_POOL"},\
        {"type":"CONV2D","filters":64,"kernelSize":3},{"type":"FLATTEN"},\
        {"type":"DENSE","units":64}]},\
        "inputShape":[3,32,32],"classes":10}""")
record SummaryRequest(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ModelSpec spec,
    @Schema(description = "Dataset name, see GET /api/v1/datasets; or give inputShape and classes.")
        String dataset,
    @Schema(
            description =
                "Shape of one input: [features] or [channels, height, width]; each 1 to 65536.",
            example = "[3, 32, 32]")
        List<Integer> inputShape,
    @Schema(description = "Number of classes, 2 to 65536.", example = "10") Integer classes) {}
