package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.Jobs;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;
import tools.jackson.databind.JsonNode;

/**
 * The same job scenario against a PostgreSQL in Docker, configured the way a deployment is
 * (spring.datasource.url). Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Tag("integration")
class TestcontainersPostgresIntegrationTests {

  @Container static PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");

  @DynamicPropertySource
  static void datasource(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", postgres::getJdbcUrl);
    registry.add("spring.datasource.username", postgres::getUsername);
    registry.add("spring.datasource.password", postgres::getPassword);
  }

  @LocalServerPort int port;

  @Test
  void shouldTrainAndClassifyOnAnExternalPostgres() {
    Api api = new Api(port);
    UUID id =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(60)).body().path("id").asText());
    JsonNode done = api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));
    Api.Response classified =
        api.post(
            "/api/v1/models/" + done.path("modelId").asText() + "/classify",
            "{\"instances\":[[5.1,3.5,1.4,0.2]]}");
    assertThat(classified.body().path("predictions").get(0).path("label").asText())
        .isEqualTo("setosa");
  }
}
