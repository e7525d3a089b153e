package io.deeptrain.model;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.Standardization;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.system.ApiException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  /** The alias every name has: its highest version. It cannot be set or removed. */
  public static final String LATEST = "latest";

  /** The alias a bare name resolves to when set. */
  public static final String PRODUCTION = "production";

  static final int MAX_REF_LENGTH = 300;

  static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
  static final String ALIAS_RULE =
      "must be 1-40 characters of lower-case letters, digits, '-' and '_', starting with a letter";

  private final ModelVersionRepository versions;
  private final ArtifactRepository artifacts;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final DatasetCatalog datasets;
  private final LibraryVersions libraries;

  ModelRegistry(
      ModelVersionRepository versions,
      ArtifactRepository artifacts,
      JdbcClient jdbc,
      JsonMapper json,
      Clock clock,
      DatasetCatalog datasets,
      LibraryVersions libraries) {
    this.versions = versions;
    this.artifacts = artifacts;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.datasets = datasets;
    this.libraries = libraries;
  }

  /**
   * Stores the artifact and registers version n+1 of the name with the dataset's content hash and
   * the library versions in use; joins the caller's transaction.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public UUID register(NewModelVersion v) {
    // Hashed before taking the lock: the first hash of a large dataset reads all its files.
    String datasetSha256 = datasetSha256(v.dataset());
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
            v.spec() == null ? null : json.writeValueAsString(v.spec()),
            v.training() == null ? null : json.writeValueAsString(v.training()),
            json.writeValueAsString(v.labels()),
            json.writeValueAsString(v.inputShape()),
            v.normalization() == null ? null : json.writeValueAsString(v.normalization()),
            json.writeValueAsString(v.metrics()),
            v.confusion() == null ? null : json.writeValueAsString(v.confusion()),
            artifact.getId(),
            clock.instant(),
            v.source(),
            datasetSha256,
            json.writeValueAsString(libraries.get())));
    return id;
  }

  /** The dataset's content hash, or null: a card without it beats a job failed at its end. */
  private String datasetSha256(String dataset) {
    if (dataset == null || datasets.find(dataset).isEmpty()) {
      return null;
    }
    try {
      return datasets.contentSha256(dataset);
    } catch (RuntimeException e) {
      log.warn("Cannot hash dataset '{}' for the model card: {}", dataset, e.getMessage());
      return null;
    }
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
    UUID id = asId(ref);
    if (id != null) {
      return get(id);
    }
    if (ref.length() > MAX_REF_LENGTH) {
      throw ApiException.invalid("model", "must be at most " + MAX_REF_LENGTH + " characters");
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
   * The id a reference names, for services that take a model id. An id is passed on without a
   * database read (the hot inference path serves cached models); the service's own lookup 404s an
   * unknown one.
   */
  public UUID resolveId(String ref) {
    UUID id = asId(ref);
    return id != null ? id : resolve(ref).id();
  }

  /** The id a reference spells in canonical form, else null (UUID.fromString takes "1-2-3-4-5"). */
  private static UUID asId(String ref) {
    if (ref == null || ref.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(ref);
    } catch (IllegalArgumentException notUuid) {
      return null;
    }
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
    return jdbc.sql("SELECT model_id FROM model_aliases WHERE name = :name AND alias = :alias")
        .param("alias", PRODUCTION)
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
        LATEST.equals(alias)
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

  /** One page of versions, newest first; all names, or one when {@code name} is not null. */
  @Transactional(readOnly = true)
  public Page<ModelVersion> list(String name, int page, int size) {
    PageRequest request =
        PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt", "id"));
    return (name == null ? versions.findAll(request) : versions.findByName(name, request))
        .map(this::toVersion);
  }

  /** An alias of a name and the version it points at. */
  public record Alias(String name, String alias, UUID modelId, int version, Instant updatedAt) {}

  /**
   * Points {@code alias} of {@code name} at one of its versions, creating or moving it.
   *
   * @throws ApiException invalid alias (or {@code latest}), not found for an unknown name:version
   */
  @Transactional
  public Alias promote(String name, String alias, int version) {
    checkSettable(alias);
    ModelVersion target = resolve(name, version);
    Instant now = clock.instant();
    jdbc.sql(
            """
            INSERT INTO model_aliases (name, alias, model_id, updated_at)
            VALUES (:name, :alias, :id, :now)
            ON CONFLICT (name, alias) DO UPDATE SET model_id = :id, updated_at = :now
            """)
        .param("name", name)
        .param("alias", alias)
        .param("id", target.id())
        .param("now", Timestamp.from(now))
        .update();
    return new Alias(name, alias, target.id(), target.version(), now);
  }

  /**
   * Removes an alias of a name.
   *
   * @throws ApiException invalid alias (or {@code latest}), not found if the name has no such alias
   */
  @Transactional
  public void demote(String name, String alias) {
    checkSettable(alias);
    int removed =
        jdbc.sql("DELETE FROM model_aliases WHERE name = :name AND alias = :alias")
            .param("name", name)
            .param("alias", alias)
            .update();
    if (removed == 0) {
      throw ApiException.notFound("alias", name + "@" + alias);
    }
  }

  /**
   * The aliases of a name, {@code latest} first, then by alias.
   *
   * @throws ApiException not found if no version has this name
   */
  @Transactional(readOnly = true)
  public List<Alias> aliases(String name) {
    ModelVersion latest = byAlias(name, LATEST, name);
    List<Alias> result = new ArrayList<>();
    result.add(new Alias(name, LATEST, latest.id(), latest.version(), latest.createdAt()));
    result.addAll(
        jdbc.sql(
                """
                SELECT a.alias, a.model_id, v.version, a.updated_at
                FROM model_aliases a JOIN model_versions v ON v.id = a.model_id
                WHERE a.name = :name ORDER BY a.alias
                """)
            .param("name", name)
            .query(
                (rs, i) ->
                    new Alias(
                        name,
                        rs.getString(1),
                        rs.getObject(2, UUID.class),
                        rs.getInt(3),
                        rs.getTimestamp(4).toInstant()))
            .list());
    return result;
  }

  /** The aliases pointing at each of these versions, {@code latest} included, sorted. */
  @Transactional(readOnly = true)
  public Map<UUID, List<String>> aliasesOf(Collection<UUID> ids) {
    Map<UUID, List<String>> result = new HashMap<>();
    if (ids.isEmpty()) {
      return result;
    }
    jdbc.sql(
            """
            SELECT model_id, alias FROM model_aliases WHERE model_id IN (:ids)
            UNION ALL
            SELECT v.id, 'latest' FROM model_versions v
            WHERE v.id IN (:ids)
              AND v.version = (SELECT max(w.version) FROM model_versions w WHERE w.name = v.name)
            """)
        .param("ids", ids)
        .query(
            (rs, i) -> {
              result
                  .computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                  .add(rs.getString(2));
              return null;
            })
        .list();
    result.values().forEach(Collections::sort);
    return result;
  }

  private static void checkSettable(String alias) {
    if (alias == null || !ALIAS.matcher(alias).matches()) {
      throw ApiException.invalid("alias", ALIAS_RULE + ", got '" + alias + "'");
    }
    if (LATEST.equals(alias)) {
      throw ApiException.invalid(
          "alias",
          "'latest' is built in (always the highest version) and cannot be set or removed");
    }
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
        e.getSpec() == null ? null : json.readValue(e.getSpec(), ModelSpec.class),
        e.getTraining() == null ? null : json.readValue(e.getTraining(), TrainingSpec.class),
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
        e.getCreatedAt(),
        e.getSource(),
        e.getDatasetSha256(),
        e.getLibraryVersions() == null
            ? null
            : LibraryVersions.ordered(
                json.readValue(
                    e.getLibraryVersions(),
                    new TypeReference<LinkedHashMap<String, String>>() {})));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
