package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;

/** The protocol's error body, for the API documentation ({@link OipErrors} writes it). */
@Schema(
    name = "OipError",
    description = "An Open Inference Protocol error.",
    example = "{\"error\":\"model 'iris' does not exist\"}")
record OipError(@Schema(description = "What went wrong, for a person.") String error) {}
