package io.deeptrain.security;

import java.time.Instant;
import java.util.UUID;

/**
 * A key as the service knows it: never its value, only what identifies and limits it.
 *
 * @param source API (created with POST /api/v1/keys) or CONFIG (deeptrain.security.*)
 */
record ApiKey(
    UUID id,
    String name,
    Role role,
    String prefix,
    String source,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt) {

  static final String API = "API";
  static final String CONFIG = "CONFIG";

  boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
