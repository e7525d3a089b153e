package io.deeptrain.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTests {

  @ParameterizedTest(name = "{0} {1} needs {2}")
  @CsvSource({
    "GET, /api/v1/jobs, READER",
    "HEAD, /api/v1/models/iris/artifact, READER",
    "GET, /api/v1/jobs/3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f/events, READER",
    "GET, /v2/models/iris, READER",
    "GET, /v2, READER",
    "GET, /actuator/info, READER",
    "GET, /actuator/prometheus, READER",
    "GET, /api/v1/devices, READER",
    "POST, /api/v1/jobs, TRAINER",
    "POST, /api/v1/jobs/3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f/cancel, TRAINER",
    "POST, /api/v1/jobs/3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f/resume, TRAINER",
    "POST, /api/v1/datasets, TRAINER",
    "POST, /api/v1/models, TRAINER",
    "POST, /api/v1/models/iris@production/classify, TRAINER",
    "POST, /v2/models/iris/infer, TRAINER",
    "POST, /api/v1/specs/summary, TRAINER",
    "GET, /api/v1/keys, ADMIN",
    "POST, /api/v1/keys, ADMIN",
    "DELETE, /api/v1/keys/3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f, ADMIN",
    "PUT, /api/v1/models/iris/aliases/production, ADMIN",
    "DELETE, /api/v1/models/iris/aliases/production, ADMIN",
    "DELETE, /api/v1/jobs/3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f, ADMIN",
  })
  void shouldNeedTheRole(String method, String path, Role role) {
    assertThat(AccessRules.required(method, path)).isEqualTo(role);
  }

  @ParameterizedTest(name = "{0} {1} is public")
  @CsvSource({
    "GET, /",
    "GET, /index.html",
    "GET, /js/app.js",
    "GET, /app.css",
    "GET, /swagger-ui/index.html",
    "GET, /swagger-ui.html",
    "GET, /v3/api-docs",
    "GET, /v3/api-docs/swagger-config",
    "GET, /actuator/health",
    "GET, /actuator/health/readiness",
    "GET, /v2/health/ready",
    "GET, /v2/health/live",
    "OPTIONS, /api/v1/jobs",
  })
  void shouldBePublic(String method, String path) {
    assertThat(AccessRules.required(method, path)).isNull();
  }

  @ParameterizedTest(name = "{0} {1} inference: {2}")
  @CsvSource({
    "POST, /api/v1/models/iris/classify, true",
    "POST, /api/v1/models/3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f/generate, true",
    "POST, /v2/models/iris/infer, true",
    "POST, /v2/models/iris/versions/2/infer, true",
    "POST, /api/v1/models, false",
    "GET, /api/v1/models/iris/summary, false",
    "PUT, /api/v1/models/iris/aliases/production, false",
    "POST, /api/v1/jobs, false",
    "POST, /api/v1/apiv1models/x/y, false",
  })
  void shouldTellInferenceRequests(String method, String path, boolean inference) {
    assertThat(AccessRules.inference(method, path)).isEqualTo(inference);
  }
}
