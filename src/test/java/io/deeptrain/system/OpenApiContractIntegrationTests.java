package io.deeptrain.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * openapi/openapi.yaml is the published contract: it must equal what the service generates. To
 * update it after an API change run {@code ./mvnw test -Dtest=OpenApiContractIntegrationTests
 * -Dopenapi.write=true} and review the diff.
 */
@IntegrationTest
class OpenApiContractIntegrationTests {

  static final Path CONTRACT = Path.of("openapi/openapi.yaml");

  @LocalServerPort int port;

  @Test
  void shouldMatchTheCommittedContract() throws Exception {
    String generated =
        new String(new Api(port).getBytes("/v3/api-docs.yaml"), StandardCharsets.UTF_8)
            .replace("http://localhost:" + port, "http://localhost:8080");
    if (Boolean.getBoolean("openapi.write")) {
      Files.createDirectories(CONTRACT.getParent());
      Files.writeString(CONTRACT, generated);
    }
    assertThat(CONTRACT).as("run with -Dopenapi.write=true to create it").exists();
    assertThat(generated)
        .as(
            "the API changed: regenerate openapi/openapi.yaml with -Dopenapi.write=true and review the diff")
        .isEqualTo(Files.readString(CONTRACT));
  }

  @Test
  void shouldServeSwaggerUi() {
    Api.Response ui = new Api(port).get("/swagger-ui/index.html");
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.raw()).contains("Swagger UI");
  }
}
