package io.deeptrain.model;

import io.deeptrain.dataset.Standardization;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.system.ApiException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Registered model versions and their artifacts. */
@Service
public class ModelRegistry {

  private final ModelVersionRepository versions;
  private final ArtifactRepository artifacts;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  ModelRegistry(
      ModelVersionRepository versions,
      ArtifactRepository artifacts,
      JdbcClient jdbc,
      JsonMapper json,
      Clock clock) {
    this.versions = versions;
    this.artifacts = artifacts;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  /** Stores the artifact and registers version n+1 of the name; joins the caller's transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public UUID register(NewModelVersion v) {
    // Serialise version numbering per name across replicas.
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:name))")
        .param("name", v.name())
        .query()
        .singleRow();
    ArtifactEntity artifact =
        artifacts.save(
            new ArtifactEntity(
                UUID.randomUUID(),
                v.mediaType(),
                v.artifact(),
                sha256(v.artifact()),
                clock.instant()));
    UUID id = UUID.randomUUID();
    versions.save(
        new ModelVersionEntity(
            id,
            v.name(),
            versions.maxVersion(v.name()) + 1,
            v.jobId(),
            v.dataset(),
            json.writeValueAsString(v.spec()),
            json.writeValueAsString(v.training()),
            json.writeValueAsString(v.labels()),
            json.writeValueAsString(v.inputShape()),
            v.normalization() == null ? null : json.writeValueAsString(v.normalization()),
            json.writeValueAsString(v.metrics()),
            v.confusion() == null ? null : json.writeValueAsString(v.confusion()),
            artifact.getId(),
            clock.instant()));
    return id;
  }

  @Transactional(readOnly = true)
  public ModelVersion get(UUID id) {
    return versions
        .findById(id)
        .map(this::toVersion)
        .orElseThrow(() -> ApiException.notFound("model", id));
  }

  /**
   * The version a reference names: a model id (UUID), {@code name@alias}, {@code name:version}, or
   * a bare {@code name} (its {@code production} alias when set, else its latest version). The
   * built-in alias {@code latest} is always the highest version.
   */
  @Transactional(readOnly = true)
  public ModelVersion resolve(String ref) {
    if (ref == null || ref.isBlank()) {
      throw ApiException.invalid("model", "is required: a model id, name@alias or name:version");
    }
    try {
      return get(UUID.fromString(ref));
    } catch (IllegalArgumentException notUuid) {
      // a name-based reference
    }
    int at = ref.lastIndexOf('@');
    if (at > 0) {
      return byAlias(ref.substring(0, at), ref.substring(at + 1), ref);
    }
    int colon = ref.lastIndexOf(':');
    if (colon > 0) {
      String digits = ref.substring(colon + 1);
      int version;
      try {
        version = Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        throw ApiException.invalid(
            "model", "'" + ref + "': the version after ':' must be a whole number");
      }
      return resolve(ref.substring(0, colon), version);
    }
    return resolve(ref, null);
  }

  /**
   * Version {@code version} of a name, or with null its default: the {@code production} alias when
   * set, else the latest version.
   */
  @Transactional(readOnly = true)
  public ModelVersion resolve(String name, Integer version) {
    if (version != null) {
      return jdbc.sql("SELECT id FROM model_versions WHERE name = :name AND version = :version")
          .param("name", name)
          .param("version", version)
          .query(UUID.class)
          .optional()
          .map(this::get)
          .orElseThrow(() -> ApiException.notFound("model", name + ":" + version));
    }
    return jdbc.sql(
            "SELECT model_id FROM model_aliases WHERE name = :name AND alias = 'production'")
        .param("name", name)
        .query(UUID.class)
        .optional()
        .map(this::get)
        .orElseGet(() -> byAlias(name, "latest", name));
  }

  /** A name's version numbers, lowest first; empty for an unknown name. */
  @Transactional(readOnly = true)
  public List<Integer> versions(String name) {
    return jdbc.sql("SELECT version FROM model_versions WHERE name = :name ORDER BY version")
        .param("name", name)
        .query(Integer.class)
        .list();
  }

  private ModelVersion byAlias(String name, String alias, String ref) {
    String sql =
        "latest".equals(alias)
            ? "SELECT id FROM model_versions WHERE name = :name ORDER BY version DESC LIMIT 1"
            : "SELECT model_id FROM model_aliases WHERE name = :name AND alias = :alias";
    return jdbc.sql(sql)
        .param("name", name)
        .param("alias", alias)
        .query(UUID.class)
        .optional()
        .map(this::get)
        .orElseThrow(() -> ApiException.notFound("model", ref));
  }

  @Transactional(readOnly = true)
  public Page<ModelVersion> list(int page, int size) {
    return versions
        .findAll(PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt", "id")))
        .map(this::toVersion);
  }

  /** The DL4J model zip of a version. */
  @Transactional(readOnly = true)
  public Artifact artifact(UUID modelId) {
    return artifact(get(modelId));
  }

  /** The DL4J model zip of a version already read, without reading the version again. */
  @Transactional(readOnly = true)
  public Artifact artifact(ModelVersion v) {
    ArtifactEntity a =
        artifacts
            .findById(v.artifactId())
            .orElseThrow(() -> ApiException.notFound("artifact of model", v.id()));
    return new Artifact(
        a.getContent(),
        a.getMediaType(),
        a.getSha256(),
        a.getSizeBytes(),
        v.name() + "-v" + v.version() + ".zip");
  }

  /** Model bytes with what a download needs. */
  public record Artifact(
      byte[] content, String mediaType, String sha256, long sizeBytes, String fileName) {}

  private ModelVersion toVersion(ModelVersionEntity e) {
    return new ModelVersion(
        e.getId(),
        e.getName(),
        e.getVersion(),
        e.getJobId(),
        e.getDataset(),
        json.readValue(e.getSpec(), ModelSpec.class),
        json.readValue(e.getTraining(), TrainingSpec.class),
        json.readValue(e.getLabels(), new TypeReference<List<String>>() {}),
        json.readValue(e.getInputShape(), new TypeReference<List<Integer>>() {}),
        e.getNormalization() == null
            ? null
            : json.readValue(e.getNormalization(), Standardization.class),
        json.readValue(e.getMetrics(), new TypeReference<LinkedHashMap<String, Double>>() {}),
        e.getConfusion() == null
            ? null
            : json.readValue(e.getConfusion(), new TypeReference<List<List<Integer>>>() {}),
        e.getArtifactId(),
        e.getCreatedAt());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
