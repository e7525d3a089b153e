package io.deeptrain.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The default, deeptrain.security.enabled=false: no key needed, but the body limit still holds. */
@IntegrationTest
class OpenModeIntegrationTests {

  @LocalServerPort int port;

  @Test
  void shouldAllowEveryRequestWithoutAKey() {
    Api api = new Api(port);

    assertThat(api.get("/api/v1/jobs").status()).isEqualTo(200);
    assertThat(api.get("/api/v1/keys").status()).isEqualTo(200);
    // A key that would be refused when security is on is ignored.
    assertThat(api.withKey("dt_unknown-but-ignored-key").get("/api/v1/jobs").status())
        .isEqualTo(200);
  }

  @Test
  void shouldNotRateLimitInferenceWithoutKeys() {
    Api api = new Api(port);
    String classify = "/api/v1/models/" + UUID.randomUUID() + "/classify";

    // More than one key's default burst (100): none is refused with 429.
    for (int i = 0; i < 120; i++) {
      assertThat(api.post(classify, "{\"instances\":[[1.0]]}").status()).isEqualTo(404);
    }
  }

  @Test
  void shouldStillRefuseAJsonBodyAboveTheDefaultLimit() {
    String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\",\"dataset\":\"iris\"}";

    Api.Response r = new Api(port).post("/api/v1/jobs", big);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.body().path("detail").asText()).contains("at most 1048576 bytes");
  }
}
