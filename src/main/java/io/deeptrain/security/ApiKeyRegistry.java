package io.deeptrain.security;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Issues, lists, revokes and recognises keys: those created through the API (in PostgreSQL, so
 * every replica sees a revocation at once) and those given by configuration.
 */
@Service
class ApiKeyRegistry {

  static final int MAX_NAME_LENGTH = 100;

  /** last_used_at is written at most this often per key, not on every request. */
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** Why a presented key was refused; the detail of the 401. */
  sealed interface Result {
    record Accepted(ApiKey key) implements Result {}

    record Refused(String reason) implements Result {}
  }

  private static final Logger log = LoggerFactory.getLogger(ApiKeyRegistry.class);

  private final ApiKeyStore store;
  private final boolean enabled;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ApiKey> configured;

  ApiKeyRegistry(ApiKeyStore store, SecurityProperties props, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.enabled = props.enabled();
    this.configured = configured(props, clock.instant());
  }

  /** Without any admin key nobody can create keys: say how to get one. */
  @EventListener(ApplicationReadyEvent.class)
  void warnWithoutAdminKey() {
    Instant now = clock.instant();
    if (enabled
        && configured.values().stream().noneMatch(k -> k.role() == Role.ADMIN && !k.expired(now))
        && !store.hasUsableAdmin(now)) {
      log.warn(
          "Security is ON but no admin key exists: set DEEPTRAIN_ADMIN_KEY"
              + " (deeptrain.security.admin-key) to create keys with POST /api/v1/keys");
    }
  }

  private static Map<String, ApiKey> configured(SecurityProperties props, Instant now) {
    Map<String, ApiKey> keys = new LinkedHashMap<>();
    String admin = props.adminKey() == null ? "" : props.adminKey().strip();
    if (!admin.isEmpty()) {
      if (!ApiKeyFormat.plausible(admin)) {
        throw new IllegalStateException(
            "deeptrain.security.admin-key must be "
                + ApiKeyFormat.MIN_LENGTH
                + " to "
                + ApiKeyFormat.MAX_LENGTH
                + " printable characters without spaces");
      }
      keys.put(
          ApiKeyFormat.hash(admin), configuredKey("bootstrap-admin", Role.ADMIN, admin, null, now));
    }
    for (SecurityProperties.ConfiguredKey k : props.keys()) {
      String hash = k.hash().toLowerCase(java.util.Locale.ROOT);
      keys.put(hash, configuredKey(k.name(), k.role(), hash, k.expiresAt(), now));
    }
    return Map.copyOf(keys);
  }

  private static ApiKey configuredKey(
      String name, Role role, String identity, Instant expiresAt, Instant now) {
    UUID id = UUID.nameUUIDFromBytes(("config:" + identity).getBytes(StandardCharsets.UTF_8));
    return new ApiKey(id, name, role, "", ApiKey.CONFIG, now, expiresAt, null, null);
  }

  Result authenticate(String token) {
    if (!ApiKeyFormat.plausible(token)) {
      return new Result.Refused("the API key is not valid");
    }
    String hash = ApiKeyFormat.hash(token);
    Instant now = clock.instant();
    ApiKey key = configured.get(hash);
    if (key == null) {
      key = store.findByHash(hash).orElse(null);
    }
    if (key == null) {
      return new Result.Refused("the API key is not valid");
    }
    if (key.revokedAt() != null) {
      return new Result.Refused("the API key '" + key.name() + "' was revoked");
    }
    if (key.expired(now)) {
      return new Result.Refused("the API key '" + key.name() + "' expired at " + key.expiresAt());
    }
    if (ApiKey.API.equals(key.source())
        && (key.lastUsedAt() == null || key.lastUsedAt().plus(TOUCH_EVERY).isBefore(now))) {
      store.touch(key.id(), now);
    }
    return new Result.Accepted(key);
  }

  /** A new key; its value is in the result and nowhere else. */
  ApiKeyView.Created create(CreateApiKeyRequest request) {
    Instant now = clock.instant();
    List<FieldViolation> violations = new ArrayList<>();
    String name = request.name() == null ? "" : request.name().strip();
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      violations.add(new FieldViolation("name", "must be 1 to " + MAX_NAME_LENGTH + " characters"));
    }
    if (request.role() == null) {
      violations.add(new FieldViolation("role", "is required; allowed: READER, TRAINER, ADMIN"));
    }
    if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
      violations.add(
          new FieldViolation(
              "expiresAt",
              "must be in the future, got " + request.expiresAt() + " (now " + now + ")"));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    String value = ApiKeyFormat.generate(random);
    ApiKey key =
        new ApiKey(
            UUID.randomUUID(),
            name,
            request.role(),
            ApiKeyFormat.shownPrefix(value),
            ApiKey.API,
            now,
            request.expiresAt(),
            null,
            null);
    store.insert(key, ApiKeyFormat.hash(value));
    return ApiKeyView.Created.of(key, value);
  }

  List<ApiKeyView> list() {
    List<ApiKeyView> out = new ArrayList<>();
    configured.values().stream()
        .sorted(java.util.Comparator.comparing(ApiKey::name))
        .forEach(k -> out.add(ApiKeyView.from(k)));
    store.list().forEach(k -> out.add(ApiKeyView.from(k)));
    return out;
  }

  ApiKeyView revoke(UUID id) {
    if (configured.values().stream().anyMatch(k -> k.id().equals(id))) {
      throw ApiException.wrongState(
          "key " + id + " comes from configuration; remove it from deeptrain.security.* instead");
    }
    ApiKey key = store.find(id).orElseThrow(() -> ApiException.notFound("API key", id));
    if (key.revokedAt() != null) {
      throw ApiException.wrongState("key " + id + " was already revoked at " + key.revokedAt());
    }
    store.revoke(id, clock.instant());
    return ApiKeyView.from(store.find(id).orElseThrow());
  }
}
