package io.deeptrain.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration the service understands, for checking that deployment files (docker-compose,
 * the Helm chart) set real settings: every property in the configuration metadata on the classpath
 * (ours, written by spring-boot-configuration-processor, and Spring Boot's, from its jars), plus
 * the environment placeholders {@code application.yml} reads. A misspelt setting is otherwise
 * ignored in silence by relaxed binding.
 */
public final class KnownProperties {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

  private final Set<String> exact = new HashSet<>();
  // Map- and list-typed properties: any key or index below them binds.
  private final Set<String> prefixes = new HashSet<>();
  private final Set<String> placeholders = new HashSet<>();

  private KnownProperties() {}

  /** Reads every metadata file on the test classpath and {@code application.yml}. */
  public static KnownProperties load() {
    KnownProperties known = new KnownProperties();
    JsonMapper json = JsonMapper.builder().build();
    ClassLoader loader = KnownProperties.class.getClassLoader();
    try {
      for (String file :
          new String[] {
            "META-INF/spring-configuration-metadata.json",
            "META-INF/additional-spring-configuration-metadata.json"
          }) {
        for (URL url : Collections.list(loader.getResources(file))) {
          try (InputStream in = url.openStream()) {
            for (JsonNode property : json.readTree(in).path("properties")) {
              known.add(property.path("name").asString(), property.path("type").asString(""));
            }
          }
        }
      }
      try (InputStream in = loader.getResourceAsStream("application.yml")) {
        Matcher m = PLACEHOLDER.matcher(new String(in.readAllBytes()));
        while (m.find()) {
          known.placeholders.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!known.exact.contains("deeptrain.jobs.workers")) {
      throw new IllegalStateException(
          "no deeptrain metadata on the classpath: is spring-boot-configuration-processor running?");
    }
    return known;
  }

  private void add(String name, String type) {
    exact.add(name);
    if (type.startsWith("java.util.Map") || type.startsWith("java.util.List")) {
      prefixes.add(name);
    }
  }

  /** Whether a property name (dotted, kebab-case, as in YAML or a ConfigMap) binds to a setting. */
  public boolean isProperty(String name) {
    String canonical = name.toLowerCase(Locale.ROOT).replaceAll("\\[[^]]*]", ".x");
    if (exact.contains(canonical)) {
      return true;
    }
    return prefixes.stream().anyMatch(p -> canonical.startsWith(p + "."));
  }

  /**
   * Whether an environment variable reaches a setting: Spring's mapping of a property to its
   * variable (dots become underscores, dashes go, upper case), or a placeholder in application.yml.
   */
  public boolean isEnvironmentVariable(String variable) {
    if (placeholders.contains(variable)) {
      return true;
    }
    if (exact.stream().map(KnownProperties::toVariable).anyMatch(variable::equals)) {
      return true;
    }
    return prefixes.stream()
        .map(KnownProperties::toVariable)
        .anyMatch(p -> variable.startsWith(p + "_") && variable.length() > p.length() + 1);
  }

  static String toVariable(String property) {
    return property.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT);
  }
}
