package io.deeptrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and its GPU override, read as Compose reads them: every variable given to
 * deeptrain is a setting it has (relaxed binding would ignore a misspelt one in silence), the
 * service starts after a healthy PostgreSQL and uses it, secrets come from .env, and the GPU
 * variant reserves NVIDIA devices for the CUDA image. No Docker engine runs here.
 */
class DockerComposeTests {

  static final Path COMPOSE = Path.of("docker-compose.yml");
  static final Path GPU = Path.of("docker-compose.gpu.yml");

  // Read by the JVM or OpenMP, not by Spring.
  private static final List<String> NOT_SETTINGS =
      List.of("JAVA_TOOL_OPTIONS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY");
  // ${NAME}, ${NAME:?message}, ${NAME:-default}: Compose interpolation from the shell or .env.
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::?[-?][^}]*)?}");

  private final Map<String, Object> compose = load(COMPOSE);
  private final Map<String, Object> deeptrain = map(map(compose, "services"), "deeptrain");
  private final Map<String, Object> postgres = map(map(compose, "services"), "postgres");

  @Test
  void everyVariableGivenToTheServiceIsARealSetting() {
    KnownProperties known = KnownProperties.load();
    Map<String, String> env = environment(deeptrain);
    env.putAll(environment(map(map(load(GPU), "services"), "deeptrain")));
    assertThat(env).isNotEmpty();
    List<String> unknown =
        env.keySet().stream()
            .filter(name -> !NOT_SETTINGS.contains(name) && !known.isEnvironmentVariable(name))
            .toList();
    assertThat(unknown).as("variables no setting reads").isEmpty();
  }

  @Test
  void theServiceWaitsForAHealthyPostgresAndUsesItInsteadOfTheEmbeddedOne() {
    assertThat(map(map(deeptrain, "depends_on"), "postgres"))
        .containsEntry("condition", "service_healthy");
    Object test = map(postgres, "healthcheck").get("test");
    assertThat(String.valueOf(test)).contains("pg_isready");

    assertThat((String) postgres.get("image")).matches("postgres:\\d+(\\.\\d+)?(-[a-z0-9]+)?");
    Map<String, String> db = environment(postgres);
    Map<String, String> env = environment(deeptrain);
    // A URL turns the embedded PostgreSQL off (system.EmbeddedPostgresConfiguration).
    assertThat(env.get("SPRING_DATASOURCE_URL"))
        .isEqualTo("jdbc:postgresql://postgres:5432/" + db.get("POSTGRES_DB"));
    assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(db.get("POSTGRES_USER"));
    assertThat(variable(env.get("SPRING_DATASOURCE_PASSWORD")))
        .isEqualTo(variable(db.get("POSTGRES_PASSWORD")));
    assertThat(String.valueOf(test))
        .contains("-U " + db.get("POSTGRES_USER"))
        .contains("-d " + db.get("POSTGRES_DB"));
  }

  @Test
  void secretsComeFromDotEnvAndSecurityIsOn() throws IOException {
    Map<String, String> env = environment(deeptrain);
    assertThat(env).containsEntry("DEEPTRAIN_SECURITY_ENABLED", "true");
    String example = Files.readString(Path.of(".env.example"));
    for (String secret :
        List.of(
            env.get("SPRING_DATASOURCE_PASSWORD"),
            env.get("DEEPTRAIN_ADMIN_KEY"),
            environment(postgres).get("POSTGRES_PASSWORD"))) {
      // ${NAME:?...}: Compose refuses to start without it rather than using a default.
      assertThat(secret).matches("\\$\\{[A-Z_]+:\\?[^}]+}");
      assertThat(example).as(".env.example names it").contains(variable(secret) + "=");
    }
    assertThat(Files.readAllLines(Path.of(".gitignore"))).contains(".env");
  }

  @Test
  void dataLivesInNamedVolumesAndHostDatasetsAreReadOnly() throws IOException {
    Map<String, Object> volumes = map(compose, "volumes");
    List<String> pgMounts = strings(postgres.get("volumes"));
    assertThat(pgMounts).anyMatch(v -> v.endsWith(":/var/lib/postgresql/data"));
    List<String> mounts = strings(deeptrain.get("volumes"));
    String dataVolume = Dockerfile.read().image().args("VOLUME").get(0);
    assertThat(mounts).anyMatch(v -> v.endsWith(":" + dataVolume));
    for (String mount : mounts) {
      String source = mount.split(":")[0];
      if (!source.startsWith("$") && !source.startsWith("/") && !source.startsWith(".")) {
        assertThat(volumes).as("named volume %s is declared", source).containsKey(source);
      }
    }
    // The host's datasets land where the service looks for system datasets, and stay untouched.
    Map<String, Object> yml = load(Path.of("src/main/resources/application.yml"));
    String systemDirs = (String) map(map(yml, "deeptrain"), "datasets").get("system-dirs");
    assertThat(mounts).anyMatch(v -> v.endsWith(":" + systemDirs + ":ro"));
  }

  @Test
  void stoppingGivesRunningJobsTimeToCheckpoint() {
    Duration grace = duration((String) deeptrain.get("stop_grace_period"));
    Duration handBack = duration(environment(deeptrain).get("DEEPTRAIN_JOBS_SHUTDOWNGRACE"));
    assertThat(grace).isGreaterThan(handBack);
    // and what Spring may take after it: one shutdown phase
    // (spring.lifecycle.timeout-per-shutdown-phase)
    Map<String, Object> yml = load(Path.of("src/main/resources/application.yml"));
    Duration phase =
        duration((String) map(map(yml, "spring"), "lifecycle").get("timeout-per-shutdown-phase"));
    assertThat(grace).isGreaterThanOrEqualTo(handBack.plus(phase));
  }

  @Test
  void thePublishedPortIsTheImages() {
    List<String> ports = strings(deeptrain.get("ports"));
    String exposed = Dockerfile.read().image().args("EXPOSE").get(0);
    assertThat(ports).anyMatch(p -> p.endsWith(":" + exposed));
  }

  @Test
  void theGpuVariantReservesNvidiaGpusForTheCudaImage() {
    Map<String, Object> gpu = map(map(load(GPU), "services"), "deeptrain");
    assertThat(map(map(gpu, "build"), "args")).containsEntry("BACKEND", "cuda");
    Dockerfile.read().stage("runtime-cuda");
    assertThat((String) gpu.get("image")).isNotEqualTo(deeptrain.get("image"));

    List<Map<String, Object>> devices =
        maps(map(map(map(gpu, "deploy"), "resources"), "reservations").get("devices"));
    assertThat(devices).hasSize(1);
    assertThat(devices.get(0)).containsEntry("driver", "nvidia");
    assertThat(strings(devices.get(0).get("capabilities"))).contains("gpu");
    // The CPU service runs on any host: no device reservation there.
    assertThat(map(map(deeptrain, "deploy"), "resources")).doesNotContainKey("reservations");
    assertThat(map(map(deeptrain, "build"), "args")).containsEntry("BACKEND", "cpu");
  }

  static Map<String, Object> load(Path file) {
    try {
      return new Yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as("%s is a mapping", key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Object list) {
    assertThat(list).isInstanceOf(List.class);
    return (List<Map<String, Object>>) list;
  }

  static List<String> strings(Object list) {
    assertThat(list).isInstanceOf(List.class);
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  /** A service's environment, in either Compose form: a mapping or a list of NAME=value. */
  static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object value = service.get("environment");
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (value instanceof List<?> l) {
      for (Object item : l) {
        String[] kv = String.valueOf(item).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : null);
      }
    }
    return env;
  }

  private static String variable(String value) {
    Matcher m = VARIABLE.matcher(value);
    assertThat(m.matches()).as("%s is a ${VARIABLE}", value).isTrue();
    return m.group(1);
  }

  private static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
    assertThat(m.matches()).as("duration %s", text).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
