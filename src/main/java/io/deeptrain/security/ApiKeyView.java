package io.deeptrain.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/** A key in a listing: never its value nor its hash. */
record ApiKeyView(
    UUID id,
    String name,
    Role role,
    @Schema(
            description =
                "The first characters of the key, to tell keys apart (empty for"
                    + " configured keys).")
        String prefix,
    @Schema(description = "API (created with POST /api/v1/keys) or CONFIG (deeptrain.security.*).")
        String source,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt) {

  static ApiKeyView from(ApiKey k) {
    return new ApiKeyView(
        k.id(),
        k.name(),
        k.role(),
        k.prefix(),
        k.source(),
        k.createdAt(),
        k.expiresAt(),
        k.lastUsedAt(),
        k.revokedAt());
  }

  /** A newly created key with its value, which the service cannot show again. */
  record Created(
      UUID id,
      String name,
      Role role,
      @Schema(description = "The key: send it as Authorization: Bearer <key>. Shown only now.")
          String key,
      String prefix,
      Instant createdAt,
      Instant expiresAt) {

    static Created of(ApiKey k, String value) {
      return new Created(
          k.id(), k.name(), k.role(), value, k.prefix(), k.createdAt(), k.expiresAt());
    }
  }
}
