package io.deeptrain.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTests {

  @Test
  void shouldGenerateDistinctKeysOfDtAnd32RandomBytesInBase64url() {
    SecureRandom random = new SecureRandom();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String key = ApiKeyFormat.generate(random);
      assertThat(key).matches("dt_[A-Za-z0-9_-]{43}");
      assertThat(ApiKeyFormat.plausible(key)).isTrue();
      keys.add(key);
    }
    assertThat(keys).hasSize(1000);
  }

  @Test
  void shouldHashAsSha256sumPrintsIt() {
    // printf %s abc | sha256sum
    assertThat(ApiKeyFormat.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ApiKeyFormat.hash("dt_x")).matches("[0-9a-f]{64}");
  }

  @Test
  void shouldReadTheKeyFromABearerOrAnXApiKeyHeader() {
    assertThat(ApiKeyFormat.fromHeaders("Bearer dt_abc", null)).hasValue("dt_abc");
    assertThat(ApiKeyFormat.fromHeaders("bearer   dt_abc ", null)).hasValue("dt_abc");
    assertThat(ApiKeyFormat.fromHeaders(null, " dt_abc")).hasValue("dt_abc");
    assertThat(ApiKeyFormat.fromHeaders("Bearer dt_a", "dt_b")).hasValue("dt_a");
    assertThat(ApiKeyFormat.fromHeaders(null, null)).isEqualTo(Optional.empty());
    assertThat(ApiKeyFormat.fromHeaders(" ", "")).isEqualTo(Optional.empty());
  }

  @Test
  void shouldTreatAnotherAuthorizationSchemeAsAnInvalidKeyRatherThanNoKey() {
    Optional<String> basic = ApiKeyFormat.fromHeaders("Basic dXNlcjpwYXNz", null);

    assertThat(basic).hasValue("");
    assertThat(ApiKeyFormat.plausible(basic.orElseThrow())).isFalse();
  }

  @Test
  void shouldNotLookUpTokensThatCannotBeKeys() {
    assertThat(ApiKeyFormat.plausible("short")).isFalse();
    assertThat(ApiKeyFormat.plausible("x".repeat(257))).isFalse();
    assertThat(ApiKeyFormat.plausible("dt_has a space in it 123")).isFalse();
    assertThat(ApiKeyFormat.plausible("dt_ünïcödé-0123456789")).isFalse();
    assertThat(ApiKeyFormat.plausible("a-bootstrap-secret-0123456789")).isTrue();
  }

  @Test
  void shouldShowOnlyTheFirstEightCharacters() {
    assertThat(ApiKeyFormat.shownPrefix("dt_abcdefghijkl")).isEqualTo("dt_abcde");
  }
}
