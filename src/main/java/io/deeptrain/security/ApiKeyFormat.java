package io.deeptrain.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How keys look, are made and are hashed. A generated key is {@code dt_} and 32 random bytes in
 * base64url (46 characters). Only its SHA-256 is stored: with 256 bits of entropy no dictionary or
 * brute-force attack applies, so a slow password hash (bcrypt, argon2) would only add CPU to every
 * request, and a deterministic hash lets a request find its key by an indexed lookup.
 */
final class ApiKeyFormat {

  static final String PREFIX = "dt_";
  static final int RANDOM_BYTES = 32;

  /** Shortest and longest token looked up; configured bootstrap keys may be any such string. */
  static final int MIN_LENGTH = 16;

  static final int MAX_LENGTH = 256;

  /** Characters of a key shown in listings so that people can tell keys apart. */
  static final int SHOWN_PREFIX = 8;

  private ApiKeyFormat() {}

  static String generate(SecureRandom random) {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lower-case hex SHA-256 of the key's UTF-8 bytes, as {@code sha256sum} prints it. */
  static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String shownPrefix(String key) {
    return key.substring(0, Math.min(SHOWN_PREFIX, key.length()));
  }

  /**
   * The key of an {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} header value;
   * empty when none was sent. A token that cannot be a key (too short or long, spaces, control
   * characters) is returned too, so that it is refused as unknown rather than ignored.
   */
  static Optional<String> fromHeaders(String authorization, String xApiKey) {
    if (authorization != null && !authorization.isBlank()) {
      String value = authorization.strip();
      int space = value.indexOf(' ');
      if (space > 0 && value.substring(0, space).equalsIgnoreCase("Bearer")) {
        return Optional.of(value.substring(space + 1).strip());
      }
      // Another scheme (Basic...) is not ours: treated as an unreadable key.
      return Optional.of("");
    }
    if (xApiKey != null && !xApiKey.isBlank()) {
      return Optional.of(xApiKey.strip());
    }
    return Optional.empty();
  }

  /** Whether a presented token is worth a lookup. */
  static boolean plausible(String token) {
    if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
      return false;
    }
    return token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
