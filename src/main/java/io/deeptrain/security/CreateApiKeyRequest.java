package io.deeptrain.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

@Schema(
    description = "A key to create; its value is returned once, in the response.",
    example =
        "{\"name\":\"ci-pipeline\",\"role\":\"TRAINER\",\"expiresAt\":\"2027-01-01T00:00:00Z\"}")
record CreateApiKeyRequest(
    @Schema(description = "Who or what uses the key, 1 to 100 characters.") String name,
    @Schema(
            description =
                "READER (GET), TRAINER (also jobs, uploads, inference), ADMIN (also keys,"
                    + " aliases, deletes).")
        Role role,
    @Schema(description = "When the key stops working; none: it works until revoked.")
        Instant expiresAt) {}
