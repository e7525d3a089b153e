package io.deeptrain.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The service with deeptrain.security.enabled=true, as a client with and without keys sees it. */
@IntegrationTest
@TestPropertySource(
    properties = {
      "deeptrain.embedded-postgres.database=security_it",
      "deeptrain.jobs.dispatch=false",
      "deeptrain.security.enabled=true",
      "deeptrain.security.admin-key=" + ApiKeySecurityIntegrationTests.ADMIN,
      "deeptrain.security.keys[0].name=ci-reader",
      "deeptrain.security.keys[0].role=READER",
      // printf %s test-reader-key-0123456789abcdef | sha256sum
      "deeptrain.security.keys[0].hash=67014fb67fa12c899b2309795a21ada3512202ac9114c8f005fc334e0ada6add",
      "deeptrain.security.keys[1].name=old-trainer",
      "deeptrain.security.keys[1].role=TRAINER",
      "deeptrain.security.keys[1].hash=8200144bbd6e24eacc83ac8ec461778f2165f843c47ba71e666edb0eeaf71fad",
      "deeptrain.security.keys[1].expires-at=2020-01-01T00:00:00Z",
      "deeptrain.security.inference-rate.requests-per-second=0.001",
      "deeptrain.security.inference-rate.burst=2",
      "deeptrain.security.max-json-body-size=4KB"
    })
class ApiKeySecurityIntegrationTests {

  static final String ADMIN = "test-admin-key-0123456789abcdef";
  static final String READER = "test-reader-key-0123456789abcdef";
  static final String EXPIRED = "test-expired-key-0123456789abcdef";
  static final String PROBLEMS = "https://deeptrain.io/problems/";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api anonymous;
  Api admin;
  Api reader;

  @BeforeEach
  void clients() {
    anonymous = new Api(port);
    admin = anonymous.withKey(ADMIN);
    reader = anonymous.withKey(READER);
  }

  @Test
  void shouldRefuseAnApiRequestWithoutAKeyWithA401Problem() {
    Api.Response r = anonymous.get("/api/v1/jobs");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
    assertThat(r.body().path("type").asText()).isEqualTo(PROBLEMS + "unauthorized");
    assertThat(r.body().path("detail").asText()).contains("reader", "Authorization: Bearer");
  }

  @Test
  void shouldRefuseAnUnknownKeyWithA401SayingTheTokenIsInvalid() {
    Api.Response r = anonymous.withKey("dt_" + "A".repeat(43)).get("/api/v1/jobs");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    assertThat(r.body().path("detail").asText()).isEqualTo("the API key is not valid");
  }

  @Test
  void shouldLetAReaderGetButNotSubmitAJob() {
    assertThat(reader.get("/api/v1/jobs").status()).isEqualTo(200);
    assertThat(reader.get("/api/v1/datasets").status()).isEqualTo(200);

    Api.Response r = reader.post("/api/v1/jobs", Jobs.irisMlp(1));

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body().path("type").asText()).isEqualTo(PROBLEMS + "forbidden");
    assertThat(r.body().path("requiredRole").asText()).isEqualTo("trainer");
    assertThat(r.body().path("detail").asText())
        .isEqualTo("POST /api/v1/jobs needs the trainer role; key 'ci-reader' has the reader role");
  }

  @Test
  void shouldAcceptTheKeyInAnXApiKeyHeaderToo() {
    assertThat(anonymous.withHeader("X-API-Key", READER).get("/api/v1/jobs").status())
        .isEqualTo(200);
  }

  @Test
  void shouldLetATrainerSubmitAJobButNotManageKeys() {
    String name = "trainer-" + UUID.randomUUID();
    Api trainer = anonymous.withKey(createKey(name, "TRAINER"));

    Api.Response submitted = trainer.post("/api/v1/jobs", Jobs.irisMlp(1));
    assertThat(submitted.status()).isEqualTo(202);
    // The key the per-key running limit (deeptrain.jobs.max-running-per-key) counts against.
    assertThat(submitted.body().path("submittedBy").asText()).isEqualTo(name);
    Api.Response keys = trainer.get("/api/v1/keys");
    assertThat(keys.status()).isEqualTo(403);
    assertThat(keys.body().path("requiredRole").asText()).isEqualTo("admin");
    assertThat(trainer.delete("/api/v1/models/iris/aliases/production").status()).isEqualTo(403);
  }

  @Test
  void shouldShowACreatedKeyOnceListItWithoutSecretsAndRefuseItOnceRevoked() {
    String name = "ci-" + UUID.randomUUID();
    Api.Response created =
        admin.post("/api/v1/keys", "{\"name\":\"" + name + "\",\"role\":\"reader\"}");
    assertThat(created.status()).isEqualTo(201);
    String key = created.body().path("key").asText();
    String id = created.body().path("id").asText();
    assertThat(key).matches("dt_[A-Za-z0-9_-]{43}");
    assertThat(created.body().path("role").asText()).isEqualTo("READER");
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/keys/" + id);

    Api withKey = anonymous.withKey(key);
    assertThat(withKey.get("/api/v1/jobs").status()).isEqualTo(200);

    Api.Response list = admin.get("/api/v1/keys");
    assertThat(list.status()).isEqualTo(200);
    JsonNode listed = find(list.body(), name);
    assertThat(listed.path("source").asText()).isEqualTo("API");
    assertThat(listed.path("prefix").asText()).isEqualTo(key.substring(0, 8));
    assertThat(listed.has("key")).isFalse();
    assertThat(listed.path("lastUsedAt").isNull()).isFalse();
    assertThat(list.raw()).doesNotContain(key).doesNotContain(sha256(key));
    assertThat(find(list.body(), "bootstrap-admin").path("source").asText()).isEqualTo("CONFIG");
    assertThat(list.raw()).doesNotContain(ADMIN);

    Api.Response revoked = admin.delete("/api/v1/keys/" + id);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body().path("revokedAt").isNull()).isFalse();

    Api.Response after = withKey.get("/api/v1/jobs");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.body().path("detail").asText()).contains("revoked");
    assertThat(admin.delete("/api/v1/keys/" + id).status()).isEqualTo(409);
  }

  @Test
  void shouldRefuseToRevokeAConfiguredKey() {
    String id = find(admin.get("/api/v1/keys").body(), "ci-reader").path("id").asText();

    Api.Response r = admin.delete("/api/v1/keys/" + id);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.body().path("detail").asText()).contains("configuration");
  }

  @Test
  void shouldRefuseAKeyWithoutNameOrRoleNamingTheFields() {
    Api.Response r = admin.post("/api/v1/keys", "{\"expiresAt\":\"2001-01-01T00:00:00Z\"}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("errors").findValuesAsString("field"))
        .containsExactlyInAnyOrder("name", "role", "expiresAt");
  }

  @Test
  void shouldStoreOnlyTheSha256OfAKey() {
    String name = "hashed-" + UUID.randomUUID();
    String key = createKey(name, "TRAINER");

    Map<String, Object> row =
        jdbc.sql("SELECT * FROM api_keys WHERE name = ?").param(name).query().singleRow();

    assertThat(row.get("key_hash")).isEqualTo(sha256(key));
    assertThat(row.values()).noneMatch(v -> v != null && v.toString().contains(key));
  }

  @Test
  void shouldRefuseExpiredKeysFromConfigurationAndFromTheTable() {
    Api.Response configured = anonymous.withKey(EXPIRED).get("/api/v1/jobs");
    assertThat(configured.status()).isEqualTo(401);
    assertThat(configured.body().path("detail").asText())
        .isEqualTo("the API key 'old-trainer' expired at 2020-01-01T00:00:00Z");

    String key = "dt_expired-" + UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO api_keys (id, name, role, key_hash, key_prefix, created_at, expires_at)"
                + " VALUES (?, 'short-lived', 'ADMIN', ?, 'dt_expir', ?, ?)")
        .params(
            UUID.randomUUID(),
            sha256(key),
            Timestamp.from(Instant.now().minusSeconds(7200)),
            Timestamp.from(Instant.now().minusSeconds(3600)))
        .update();
    Api.Response stored = anonymous.withKey(key).get("/api/v1/jobs");
    assertThat(stored.status()).isEqualTo(401);
    assertThat(stored.body().path("detail").asText()).contains("'short-lived' expired at");
  }

  @Test
  void shouldKeepHealthTheDashboardAndTheApiDocumentationPublic() {
    assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(anonymous.getRaw("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    for (String asset : List.of("/", "/index.html", "/app.js", "/app.css", "/v2/health/ready")) {
      assertThat(anonymous.getRaw(asset).statusCode()).as(asset).isNotIn(401, 403);
    }
    Api.Response docs = anonymous.get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    JsonNode scheme = docs.body().path("components").path("securitySchemes").path("apiKey");
    assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
    assertThat(docs.body().path("paths").path("/api/v1/jobs").path("post").path("security"))
        .isNotEmpty();
  }

  @Test
  void shouldAnswerOpenInferenceProtocolPathsWithAnErrorObject() {
    Api.Response missing = anonymous.get("/v2/models/iris");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.body().propertyNames()).containsExactly("error");
    assertThat(missing.body().path("error").asText()).contains("reader");

    Api.Response forbidden = reader.post("/v2/models/iris/infer", "{\"inputs\":[]}");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.body().propertyNames()).containsExactly("error");
    assertThat(forbidden.body().path("error").asText()).contains("trainer");
  }

  @Test
  void shouldRateLimitInferencePerKeyWithRetryAfter() {
    Api trainer = anonymous.withKey(createKey("rate-" + UUID.randomUUID(), "TRAINER"));
    String classify = "/api/v1/models/" + UUID.randomUUID() + "/classify";
    String body = "{\"instances\":[[5.1,3.5,1.4,0.2]]}";

    // The bucket holds 2: both pass the limiter (and find no such model).
    assertThat(trainer.post(classify, body).status()).isEqualTo(404);
    assertThat(trainer.post(classify, body).status()).isEqualTo(404);
    Api.Response limited = trainer.post(classify, body);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.body().path("type").asText()).isEqualTo(PROBLEMS + "rate-limited");
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
        .isGreaterThanOrEqualTo(1);
    // Another key has its own bucket; reads are not limited.
    Api other = anonymous.withKey(createKey("rate-" + UUID.randomUUID(), "TRAINER"));
    assertThat(other.post(classify, body).status()).isEqualTo(404);
    assertThat(trainer.get("/api/v1/jobs").status()).isEqualTo(200);
  }

  @Test
  void shouldRefuseAnOversizedJsonBodyWith413() throws Exception {
    Api trainer = anonymous.withKey(createKey("big-" + UUID.randomUUID(), "TRAINER"));
    String big = "{\"name\":\"" + "x".repeat(5000) + "\",\"dataset\":\"iris\"}";

    Api.Response r = trainer.post("/api/v1/jobs", big);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.body().path("type").asText()).isEqualTo(PROBLEMS + "payload-too-large");
    assertThat(r.body().path("detail").asText()).contains("deeptrain.security.max-json-body-size");

    // Sent chunked, without a Content-Length, it is counted as it is read.
    HttpResponse<String> chunked =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/jobs"))
                    .header("Authorization", "Bearer " + ADMIN)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
  }

  @Test
  void shouldRefuseASpecTooLargeToTrainNamingTheField() {
    Api trainer = anonymous.withKey(createKey("spec-" + UUID.randomUUID(), "TRAINER"));
    String layers = String.join(",", java.util.Collections.nCopies(8, "{\"units\":8192}"));
    String tooManyParameters =
        """
        {"dataset":"iris","spec":{"type":"MLP","layers":[%s]},"training":{"epochs":1}}"""
            .formatted(layers);

    Api.Response params = trainer.post("/api/v1/jobs", tooManyParameters);

    assertThat(params.status()).isEqualTo(422);
    assertThat(params.body().path("errors").get(0).path("field").asText()).isEqualTo("spec");
    assertThat(params.body().path("detail").asText()).contains("deeptrain.specs.max-parameters");

    String tooLargeBatch =
        """
        {"dataset":"iris","spec":{"type":"MLP","layers":[{"units":65536}]},
         "training":{"epochs":1,"batchSize":65536}}""";
    Api.Response batch = trainer.post("/api/v1/jobs", tooLargeBatch);

    assertThat(batch.status()).isEqualTo(422);
    assertThat(batch.body().path("errors").get(0).path("field").asText())
        .isEqualTo("training.batchSize");
    assertThat(batch.body().path("detail").asText())
        .contains("deeptrain.specs.max-training-memory", "use a batch of at most");
  }

  private String createKey(String name, String role) {
    Api.Response r =
        admin.post("/api/v1/keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("key").asText();
  }

  private static JsonNode find(JsonNode keys, String name) {
    for (JsonNode k : keys) {
      if (name.equals(k.path("name").asText())) {
        return k;
      }
    }
    throw new AssertionError("no key named " + name + " in " + keys);
  }

  private static String sha256(String s) throws IllegalStateException {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
