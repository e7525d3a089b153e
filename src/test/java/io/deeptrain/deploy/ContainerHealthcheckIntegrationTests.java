package io.deeptrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Dockerfile's HEALTHCHECK asks the running service a question it answers. (It sends no key:
 * /actuator/health/** stays public with security on, which ApiKeySecurityIntegrationTests holds.)
 */
@IntegrationTest
class ContainerHealthcheckIntegrationTests {

  @LocalServerPort int port;

  @Test
  void theImagesHealthcheckPathAnswersUp() {
    Api.Response health = new Api(port).get(Dockerfile.read().healthcheckPath());
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("status").asString()).isEqualTo("UP");
  }
}
