package io.deeptrain.model;

import io.deeptrain.compute.BackendInfo;
import io.deeptrain.compute.ComputeBackend;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * The library versions a model card records: what trained or imported the model. Read once at
 * startup from the jars' Maven metadata, the backend found at startup and the build info.
 */
@Component
class LibraryVersions {

  private static final List<String> ORDER =
      List.of("deeplearning4j", "nd4j", "backend", "java", "deeptrain");

  private final Map<String, String> versions;

  LibraryVersions(ComputeBackend compute, ObjectProvider<BuildProperties> build) {
    BackendInfo backend = compute.info();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("deeplearning4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
    v.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
    v.put(
        "backend",
        backend.backend() + " (" + backend.blasVendor() + (backend.oneDnn() ? ", oneDNN)" : ")"));
    v.put(
        "java",
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    BuildProperties info = build.getIfAvailable();
    v.put("deeptrain", info != null ? info.getVersion() : "unknown (no build info)");
    this.versions = Collections.unmodifiableMap(v);
  }

  Map<String, String> get() {
    return versions;
  }

  /** The keys in the order written (jsonb keeps its own order): known keys first, then others. */
  static Map<String, String> ordered(Map<String, String> read) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : ORDER) {
      if (read.containsKey(key)) {
        out.put(key, read.get(key));
      }
    }
    new TreeMap<>(read).forEach(out::putIfAbsent);
    return out;
  }

  private static String mavenVersion(String group, String artifact) {
    String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = LibraryVersions.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
