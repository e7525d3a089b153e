package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;

@Schema(description = "Generated text.")
public record CompleteResponse(
    UUID modelId,
    @Schema(description = "The prompt as sent.") String prompt,
    @Schema(description = "The generated characters, without the prompt.") String completion,
    @Schema(description = "The seed used; send it again to get the same text.") long seed) {}
