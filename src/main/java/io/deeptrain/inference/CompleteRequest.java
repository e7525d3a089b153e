package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;

/** What to continue, and how to sample. */
@Schema(example = "{\"prompt\":\"This program is \",\"length\":200,\"temperature\":0.8,\"seed\":1}")
public record CompleteRequest(
    @Schema(
            description = "Text to continue, 1 to 10000 characters, all in the model's vocabulary.",
            requiredMode = Schema.RequiredMode.REQUIRED)
        String prompt,
    @Schema(description = "Characters to generate, 1 to 10000.", defaultValue = "200")
        Integer length,
    @Schema(
            description =
                "Sampling temperature in (0, 10]: below 1 more predictable, above 1 more varied.",
            defaultValue = "1.0")
        Double temperature,
    @Schema(description = "Sample among the k most probable characters only; unset: all.")
        Integer topK,
    @Schema(description = "Random seed; the same seed gives the same text. Unset: random.")
        Long seed) {}
