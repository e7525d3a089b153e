package io.deeptrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.job.JobStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart (helm/deeptrain) rendered by real Helm with the values users install it with, and
 * the rendered objects checked against the service: its settings, its health groups, its shutdown.
 */
class HelmChartTests {

  private static final Map<String, Object> GPU = Map.of("gpu.enabled", true, "gpu.count", 2);
  private static final Map<String, Object> EXTERNAL_DB =
      Map.of(
          "postgresql.enabled", false,
          "externalDatabase.host", "pg.example.internal",
          "externalDatabase.database", "training",
          "externalDatabase.user", "trainer",
          "externalDatabase.existingSecret", "deeptrain-db",
          "externalDatabase.existingSecretPasswordKey", "pg-password");
  private static final String INLINE_PASSWORD = "external-db-password-1234";
  private static final String ADMIN_KEY = "admin-key-from-values-0123456789";
  private static final Map<String, Object> INLINE_SECRETS =
      Map.of(
          "postgresql.enabled",
          false,
          "externalDatabase.host",
          "pg.example.internal",
          "externalDatabase.password",
          INLINE_PASSWORD,
          "security.adminKey",
          ADMIN_KEY);

  private static final KnownProperties KNOWN = KnownProperties.load();

  @TempDir static Path tmp;
  private static HelmChart chart;

  @BeforeAll
  static void copyChart() {
    chart = HelmChart.withHooksAsResources(tmp.resolve("deeptrain"));
  }

  @Test
  void lintIsClean() {
    for (boolean strict : new boolean[] {false, true}) {
      HelmChart.Lint lint = HelmChart.repository().lint(strict);
      assertThat(lint.failed()).as("strict=%s: %s", strict, lint.messages()).isFalse();
      // Only the "icon is recommended" note: the project has no icon to point at.
      assertThat(lint.messages()).allMatch(m -> m.startsWith("[INFO]"), "no warnings or errors");
    }
  }

  @Test
  void defaultInstallRunsSecuredOnCpuWithTheBundledDatabase() {
    Rendered r = render(Map.of());
    Map<String, Object> config = r.applicationYaml();
    assertThat(get(config, "deeptrain.security.enabled")).isEqualTo(true);
    // Never the embedded PostgreSQL: replicas must share one database.
    assertThat(get(config, "spring.datasource.url"))
        .isEqualTo("jdbc:postgresql://dt-deeptrain-postgresql:5432/deeptrain");
    Map<String, Object> postgres = r.one("StatefulSet", "dt-deeptrain-postgresql");
    assertThat(get(container(postgres), "image").toString()).startsWith("postgres:");
    assertThat(r.one("Service", "dt-deeptrain-postgresql")).isNotNull();

    Map<String, Object> server = r.server();
    assertThat(get(server, "image")).isEqualTo("deeptrain:" + appVersion());
    assertThat(limits(server)).doesNotContainKey("nvidia.com/gpu");
    assertThat(get(r.deployment(), "spec.template.spec.securityContext.runAsNonRoot"))
        .isEqualTo(true);
    assertThat(get(server, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
  }

  @Test
  void gpuLimitAndCudaImageOnlyWhenGpuIsEnabled() {
    Map<String, Object> server = render(GPU).server();
    assertThat(limits(server)).containsEntry("nvidia.com/gpu", 2);
    assertThat(get(server, "image")).isEqualTo("deeptrain:" + appVersion() + "-cuda");
    assertThat((List<?>) get(render(GPU).deployment(), "spec.template.spec.tolerations"))
        .anySatisfy(t -> assertThat(get(map(t), "key")).isEqualTo("nvidia.com/gpu"));

    Map<String, Object> cpu = render(Map.of("gpu.count", 2)).server();
    assertThat(limits(cpu)).doesNotContainKey("nvidia.com/gpu");
    assertThat(get(cpu, "image")).isEqualTo("deeptrain:" + appVersion());
  }

  @Test
  void externalDatabaseIsUsedWithItsSecretAndNothingIsBundled() {
    Rendered r = render(EXTERNAL_DB);
    assertThat(r.all("StatefulSet")).isEmpty();
    Map<String, Object> config = r.applicationYaml();
    assertThat(get(config, "spring.datasource.url"))
        .isEqualTo("jdbc:postgresql://pg.example.internal:5432/training");
    assertThat(get(config, "spring.datasource.username")).isEqualTo("trainer");
    assertThat(r.secretRef("SPRING_DATASOURCE_PASSWORD"))
        .isEqualTo(List.of("deeptrain-db", "pg-password"));
  }

  @Test
  void secretsComeFromSecretsAndAreNeverInlined() {
    for (Map<String, Object> values : List.of(Map.<String, Object>of(), GPU, INLINE_SECRETS)) {
      Rendered r = render(values);
      for (Map<String, Object> cm : r.all("ConfigMap")) {
        assertThat(cm.toString())
            .doesNotContain(ADMIN_KEY)
            .doesNotContain(INLINE_PASSWORD)
            .doesNotContainIgnoringCase("password")
            .doesNotContainIgnoringCase("admin-key");
      }
      for (Map<String, Object> env : r.env()) {
        String name = (String) env.get("name");
        if (name.matches(".*(PASSWORD|KEY|SECRET|TOKEN).*")) {
          assertThat(env).as(name).doesNotContainKey("value");
          // The referenced Secret and key exist in the release.
          List<String> ref = r.secretRef(name);
          Map<String, Object> secret = r.one("Secret", ref.get(0));
          assertThat(map(secret.get("data"))).as(name).containsKey(ref.get(1));
        }
      }
    }
    Rendered inline = render(INLINE_SECRETS);
    assertThat(inline.secretRef("DEEPTRAIN_ADMIN_KEY"))
        .isEqualTo(List.of("dt-deeptrain", "admin-key"));
    assertThat(inline.secretRef("SPRING_DATASOURCE_PASSWORD"))
        .isEqualTo(List.of("dt-deeptrain", "database-password"));
  }

  @Test
  void generatedSecretsAreCreatedOnceAtInstallAndKept() throws IOException {
    // An upgrade must not change the admin key, nor the password the bundled database was
    // initialised with.
    String template = Files.readString(HelmChart.CHART.resolve("templates/secret-generated.yaml"));
    assertThat(template.split("\n---\n"))
        .hasSize(2)
        .allSatisfy(
            doc ->
                assertThat(doc)
                    .contains("helm.sh/hook: pre-install")
                    .contains("helm.sh/resource-policy: keep"));
    Rendered r = render(Map.of());
    assertThat(r.secretRef("DEEPTRAIN_ADMIN_KEY"))
        .isEqualTo(List.of("dt-deeptrain-admin-key", "admin-key"));
    assertThat(r.secretRef("SPRING_DATASOURCE_PASSWORD"))
        .isEqualTo(List.of("dt-deeptrain-postgresql", "password"));
  }

  @Test
  void probesUseTheServicesHealthGroups() {
    Map<String, Object> app = applicationYml();
    // Spring Boot serves /actuator/health/{liveness,readiness} when probes are enabled and health
    // is exposed under the default base path.
    assertThat(get(app, "management.endpoint.health.probes.enabled")).isEqualTo(true);
    assertThat(get(app, "management.endpoints.web.exposure.include").toString()).contains("health");
    assertThat(get(app, "management.endpoints.web.base-path")).isNull();
    assertThat(get(app, "management.server.port")).isNull();
    assertThat(get(app, "management.endpoint.health.group.readiness.include").toString())
        .contains("modelPreload");

    Map<String, Object> server = render(Map.of()).server();
    assertThat(get(server, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
    assertThat(get(server, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
    assertThat(get(server, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
    assertThat(get(server, "readinessProbe.httpGet.port")).isEqualTo("http");
    assertThat((List<Object>) server.get("ports"))
        .containsExactly(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"));
    assertThat(get(app, "server.port")).isNull(); // 8080
  }

  @ParameterizedTest
  @CsvSource({"20, 0", "20, 5", "600, 5"})
  void podOutlivesTheJobsShutdownGrace(int jobsGrace, int preStop) {
    Rendered r =
        render(
            Map.of(
                "shutdown.jobsGraceSeconds", jobsGrace, "shutdown.preStopSleepSeconds", preStop));
    Duration shutdownGrace =
        DurationStyle.detectAndParse(
            (String) get(r.applicationYaml(), "deeptrain.jobs.shutdown-grace"));
    assertThat(shutdownGrace).isEqualTo(Duration.ofSeconds(jobsGrace));
    int podGrace =
        (Integer) get(r.deployment(), "spec.template.spec.terminationGracePeriodSeconds");
    assertThat(Duration.ofSeconds(podGrace)).isGreaterThan(shutdownGrace.plusSeconds(preStop));
  }

  @Test
  void tooShortATerminationGracePeriodIsRefused() {
    assertThatThrownBy(() -> render(Map.of("shutdown.terminationGracePeriodSeconds", 20)))
        .hasMessageContaining("shutdown.terminationGracePeriodSeconds (20) must exceed");
  }

  @Test
  void everyConfiguredSettingIsOneTheServiceReads() {
    Map<String, Object> values = new LinkedHashMap<>(GPU);
    values.put("config.deeptrain.jobs.max-queued", 500);
    values.put("config.deeptrain.inference.preload-aliases", "production");
    values.put("config.deeptrain.compute.threads", 1);
    values.put("config.logging.level.org\\.nd4j", "WARN");
    values.put("config.deeptrain.security.keys[0].name", "grafana");
    values.put("config.deeptrain.security.keys[0].role", "READER");
    values.put("config.deeptrain.security.keys[0].hash", "ab".repeat(32));
    for (Map<String, Object> v : List.of(Map.<String, Object>of(), EXTERNAL_DB, values)) {
      Rendered r = render(v);
      assertThat(unknownSettings(r.applicationYaml())).as("%s", v).isEmpty();
      assertThat(r.env().stream().map(e -> (String) e.get("name")))
          .allSatisfy(name -> assertThat(KNOWN.isEnvironmentVariable(name)).as(name).isTrue());
    }
    assertThat(get(render(values).applicationYaml(), "deeptrain.jobs.max-queued")).isEqualTo(500);
    // The check catches a misspelt setting, which Spring would ignore in silence.
    Rendered typo = render(Map.of("config.deeptrain.jobs.workres", 2));
    assertThat(unknownSettings(typo.applicationYaml())).containsExactly("deeptrain.jobs.workres");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "gpu.enabled | yes | gpu.enabled",
        "gpu.count | 0 | gpu.count",
        "image.pullPolicy | Sometimes | image.pullPolicy",
        "service.type | Balanced | service.type",
        "replicas | 3 | replicas",
        "security.adminKey | short | security.adminKey",
        "persistence.accessModes[0] | ReadWriteSometimes | persistence.accessModes",
        "config.deeptrain\\.jobs\\.workers | 2 | config",
        "config.deeptrain.security.admin-key | abcdefghijklmnopqrstuvwxyz | config.deeptrain.security.admin-key",
        "postgresql.enabled | false | externalDatabase.host",
      })
  void badValuesFailTheInstallNamingTheValue(String key, String value, String named) {
    assertThatThrownBy(() -> HelmChart.repository().template(Map.of(key, value)))
        .isInstanceOf(HelmChart.HelmException.class)
        .hasMessageContaining("schema")
        .hasMessageContaining(named);
  }

  @Test
  void settingsTheChartManagesAreRefusedInConfig() {
    assertThatThrownBy(() -> render(Map.of("config.deeptrain.jobs.shutdown-grace", "60s")))
        .hasMessageContaining("config.deeptrain.jobs.shutdown-grace")
        .hasMessageContaining("shutdown.jobsGraceSeconds");
    assertThatThrownBy(
            () -> render(Map.of("config.spring.datasource.url", "jdbc:postgresql://x/y")))
        .hasMessageContaining("config.spring.datasource");
    assertThatThrownBy(() -> render(Map.of("config.deeptrain.security.enabled", false)))
        .hasMessageContaining("security.enabled");
  }

  @Test
  void dataDirectoryIsTheMountedVolume() {
    for (String mountPath : List.of("/data", "/srv/deeptrain")) {
      Rendered r = render(Map.of("persistence.mountPath", mountPath));
      Map<String, Object> server = r.server();
      // Models, checkpoints and uploads live in PostgreSQL; the dataset folders and downloads here.
      assertThat(r.envValue("DEEPTRAIN_DATASETS_DIR")).isEqualTo(mountPath + "/datasets");
      assertThat(r.mountPath("data")).isEqualTo(mountPath);
      assertThat(r.volume("data"))
          .containsEntry("persistentVolumeClaim", Map.of("claimName", "dt-deeptrain-data"));
      assertThat(r.one("PersistentVolumeClaim", "dt-deeptrain-data")).isNotNull();
      // The root filesystem is read-only: uploads in flight, Tomcat's work files and JavaCPP's
      // native library cache go to /tmp.
      assertThat(r.mountPath("tmp")).isEqualTo("/tmp");
      assertThat(r.volume("tmp")).containsKey("emptyDir");
      assertThat(get(server, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    }
  }

  @Test
  void autoscalingFollowsTheQueuedJobsGauge() {
    Rendered r = render(Map.of("autoscaling.enabled", true, "autoscaling.maxReplicas", 6));
    Map<String, Object> hpa = r.one("HorizontalPodAutoscaler", "dt-deeptrain");
    Map<String, Object> metric = map(((List<?>) get(hpa, "spec.metrics")).get(0));
    assertThat(metric.get("type")).isEqualTo("External");
    // Micrometer's deeptrain.jobs.queue gauge, tagged by JobStatus, is deeptrain_jobs_queue.
    assertThat(get(metric, "external.metric.name")).isEqualTo("deeptrain_jobs_queue");
    assertThat(get(metric, "external.metric.selector.matchLabels"))
        .isEqualTo(Map.of("status", JobStatus.QUEUED.name()));
    assertThat(get(hpa, "spec.maxReplicas")).isEqualTo(6);
    assertThat(get(hpa, "spec.scaleTargetRef.name")).isEqualTo("dt-deeptrain");
    assertThat(map(r.deployment().get("spec"))).doesNotContainKey("replicas");
    assertThat(render(Map.of()).all("HorizontalPodAutoscaler")).isEmpty();
  }

  @Test
  void servicesAndBudgetSelectOnlyTheServersPods() {
    Rendered r =
        render(
            Map.of(
                "metrics.serviceMonitor.enabled",
                true,
                "metrics.serviceMonitor.apiKeySecret.name",
                "prometheus-key"));
    Map<String, Object> podLabels = map(get(r.deployment(), "spec.template.metadata.labels"));
    Map<String, Object> postgresLabels =
        map(get(r.one("StatefulSet", "dt-deeptrain-postgresql"), "spec.template.metadata.labels"));
    for (Map<String, Object> selector :
        List.of(
            map(get(r.one("Service", "dt-deeptrain"), "spec.selector")),
            map(get(r.one("PodDisruptionBudget", "dt-deeptrain"), "spec.selector.matchLabels")))) {
      assertThat(podLabels).containsAllEntriesOf(selector);
      assertThat(postgresLabels.entrySet().containsAll(selector.entrySet())).isFalse();
    }
    Map<String, Object> monitor = r.one("ServiceMonitor", "dt-deeptrain");
    assertThat(map(get(r.one("Service", "dt-deeptrain"), "metadata.labels")))
        .containsAllEntriesOf(map(get(monitor, "spec.selector.matchLabels")));
    Map<String, Object> endpoint = map(((List<?>) get(monitor, "spec.endpoints")).get(0));
    assertThat(endpoint).containsEntry("path", "/actuator/prometheus");
    assertThat(get(endpoint, "authorization.credentials.name")).isEqualTo("prometheus-key");
  }

  @Test
  void ingressRoutesToTheServicesHttpPort() {
    Rendered r =
        render(
            Map.of(
                "ingress.enabled", true,
                "ingress.hosts[0].host", "ml.example.com",
                "ingress.hosts[0].paths[0].path", "/",
                "ingress.hosts[0].paths[0].pathType", "Prefix"));
    Map<String, Object> rule =
        map(((List<?>) get(r.one("Ingress", "dt-deeptrain"), "spec.rules")).get(0));
    assertThat(rule).containsEntry("host", "ml.example.com");
    Map<String, Object> path = map(((List<?>) get(rule, "http.paths")).get(0));
    assertThat(get(path, "backend.service.name")).isEqualTo("dt-deeptrain");
    assertThat(get(path, "backend.service.port.name")).isEqualTo("http");
    assertThat((List<?>) get(r.one("Service", "dt-deeptrain"), "spec.ports"))
        .anySatisfy(
            p ->
                assertThat(map(p))
                    .containsEntry("name", "http")
                    .containsEntry("targetPort", "http"));
    assertThat(render(Map.of()).all("Ingress")).isEmpty();
    assertThat(chart.installOutput(Map.of("ingress.enabled", true)))
        .contains("export DEEPTRAIN_URL=http://deeptrain.example.com");
  }

  @Test
  void notesSayHowToReachSwaggerUiAndTheDashboardAndGetTheAdminKey() {
    String notes = chart.installOutput(Map.of());
    assertThat(notes)
        .contains("port-forward service/dt-deeptrain 8080:8080")
        .contains("/swagger-ui.html")
        .contains("Dashboard:")
        .contains("get secret dt-deeptrain-admin-key -o jsonpath='{.data.admin-key}' | base64 -d");
    assertThat(chart.installOutput(Map.of("security.enabled", false))).contains("OPEN MODE");
  }

  @Test
  void chartAppVersionIsTheProjectVersion() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>deeptrain</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).isTrue();
    assertThat(appVersion()).isEqualTo(m.group(1));
  }

  // --- rendering and reading the objects

  private static Rendered render(Map<String, ?> values) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(chart.template(values))) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return new Rendered(docs);
  }

  private record Rendered(List<Map<String, Object>> docs) {

    List<Map<String, Object>> all(String kind) {
      return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Map<String, Object> one(String kind, String name) {
      return all(kind).stream()
          .filter(d -> name.equals(get(d, "metadata.name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    Map<String, Object> deployment() {
      return one("Deployment", "dt-deeptrain");
    }

    Map<String, Object> server() {
      return container(deployment());
    }

    List<Map<String, Object>> env() {
      return ((List<?>) server().get("env")).stream().map(HelmChartTests::map).toList();
    }

    /** [secret name, key] of an environment variable that must come from a Secret. */
    List<String> secretRef(String variable) {
      Map<String, Object> env =
          env().stream().filter(e -> variable.equals(e.get("name"))).findFirst().orElseThrow();
      Map<String, Object> ref = map(get(env, "valueFrom.secretKeyRef"));
      return List.of((String) ref.get("name"), (String) ref.get("key"));
    }

    String envValue(String variable) {
      return env().stream()
          .filter(e -> variable.equals(e.get("name")))
          .map(e -> (String) e.get("value"))
          .findFirst()
          .orElseThrow();
    }

    String mountPath(String volume) {
      return ((List<?>) server().get("volumeMounts"))
          .stream()
              .map(HelmChartTests::map)
              .filter(m -> volume.equals(m.get("name")))
              .map(m -> (String) m.get("mountPath"))
              .findFirst()
              .orElseThrow();
    }

    Map<String, Object> volume(String name) {
      return ((List<?>) get(deployment(), "spec.template.spec.volumes"))
          .stream()
              .map(HelmChartTests::map)
              .filter(v -> name.equals(v.get("name")))
              .findFirst()
              .orElseThrow();
    }

    Map<String, Object> applicationYaml() {
      Map<String, Object> cm = one("ConfigMap", "dt-deeptrain");
      return map(new Yaml().load((String) map(cm.get("data")).get("application.yaml")));
    }
  }

  private static Map<String, Object> container(Map<String, Object> workload) {
    return map(((List<?>) get(workload, "spec.template.spec.containers")).get(0));
  }

  private static Map<String, Object> limits(Map<String, Object> container) {
    return map(Objects.requireNonNullElse(get(container, "resources.limits"), Map.of()));
  }

  /** Every leaf of a YAML document as a dotted property name not known to the service. */
  private static List<String> unknownSettings(Map<String, Object> yaml) {
    List<String> names = new ArrayList<>();
    flatten("", yaml, names);
    return names.stream().filter(n -> !KNOWN.isProperty(n)).toList();
  }

  private static void flatten(String prefix, Object node, List<String> names) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, names));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), names);
      }
    } else {
      names.add(prefix);
    }
  }

  private static Map<String, Object> applicationYml() {
    try (InputStream in =
        HelmChartTests.class.getClassLoader().getResourceAsStream("application.yml")) {
      return map(new Yaml().load(in));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String appVersion() {
    try {
      Map<String, Object> chartYaml =
          map(new Yaml().load(Files.readString(HelmChart.CHART.resolve("Chart.yaml"))));
      return (String) chartYaml.get("appVersion");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A value by dotted path through nested maps; null when absent. */
  private static Object get(Map<String, Object> root, String path) {
    Object node = root;
    for (String key : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> m)) {
        return null;
      }
      node = m.get(key);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
