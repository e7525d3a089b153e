package io.deeptrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KnownPropertiesTests {

  private final KnownProperties known = KnownProperties.load();

  @Test
  void ourPropertiesAndSpringBootsAreKnown() {
    assertThat(known.isProperty("deeptrain.jobs.workers")).isTrue();
    assertThat(known.isProperty("deeptrain.jobs.shutdown-grace")).isTrue();
    assertThat(known.isProperty("spring.datasource.url")).isTrue();
    assertThat(known.isProperty("server.port")).isTrue();
  }

  @Test
  void keysBelowMapAndListPropertiesAreKnown() {
    assertThat(known.isProperty("logging.level.org.nd4j")).isTrue();
    assertThat(known.isProperty("deeptrain.security.keys[0].name")).isTrue();
    assertThat(known.isEnvironmentVariable("DEEPTRAIN_SECURITY_KEYS_0_NAME")).isTrue();
  }

  @Test
  void misspeltSettingsAreNot() {
    assertThat(known.isProperty("deeptrain.jobs.workres")).isFalse();
    assertThat(known.isProperty("deeptrain.job.workers")).isFalse();
    assertThat(known.isEnvironmentVariable("DEEPTRAIN_JOBS_WORKRES")).isFalse();
    assertThat(known.isEnvironmentVariable("DEEPTRAIN_JOBS")).isFalse();
  }

  @Test
  void environmentVariablesFollowSpringsMapping() {
    assertThat(known.isEnvironmentVariable("DEEPTRAIN_JOBS_WORKERS")).isTrue();
    assertThat(known.isEnvironmentVariable("DEEPTRAIN_JOBS_SHUTDOWNGRACE")).isTrue();
    assertThat(known.isEnvironmentVariable("SPRING_DATASOURCE_PASSWORD")).isTrue();
    assertThat(known.isEnvironmentVariable("DEEPTRAIN_ADMIN_KEY")).isTrue();
  }
}
