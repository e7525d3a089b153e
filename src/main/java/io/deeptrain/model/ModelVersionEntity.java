package io.deeptrain.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered model version; JSON columns hold the spec, labels and the like as written. */
@Entity
@Table(name = "model_versions")
class ModelVersionEntity {

  @Id private UUID id;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false)
  private int version;

  @Column(name = "job_id")
  private UUID jobId;

  // Uploaded models have no dataset, spec or training of ours.
  private String dataset;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb")
  private String spec;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb")
  private String training;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, columnDefinition = "jsonb")
  private String labels;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "input_shape", nullable = false, columnDefinition = "jsonb")
  private String inputShape;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb")
  private String normalization;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, columnDefinition = "jsonb")
  private String metrics;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb")
  private String confusion;

  @Column(name = "artifact_id", nullable = false)
  private UUID artifactId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private ModelSource source;

  @Column(name = "dataset_sha256")
  private String datasetSha256;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "library_versions", columnDefinition = "jsonb")
  private String libraryVersions;

  protected ModelVersionEntity() {}

  ModelVersionEntity(
      UUID id,
      String name,
      int version,
      UUID jobId,
      String dataset,
      String spec,
      String training,
      String labels,
      String inputShape,
      String normalization,
      String metrics,
      String confusion,
      UUID artifactId,
      Instant createdAt,
      ModelSource source,
      String datasetSha256,
      String libraryVersions) {
    this.id = id;
    this.name = name;
    this.version = version;
    this.jobId = jobId;
    this.dataset = dataset;
    this.spec = spec;
    this.training = training;
    this.labels = labels;
    this.inputShape = inputShape;
    this.normalization = normalization;
    this.metrics = metrics;
    this.confusion = confusion;
    this.artifactId = artifactId;
    this.createdAt = createdAt;
    this.source = source;
    this.datasetSha256 = datasetSha256;
    this.libraryVersions = libraryVersions;
  }

  UUID getId() {
    return id;
  }

  String getName() {
    return name;
  }

  int getVersion() {
    return version;
  }

  UUID getJobId() {
    return jobId;
  }

  String getDataset() {
    return dataset;
  }

  String getSpec() {
    return spec;
  }

  String getTraining() {
    return training;
  }

  String getLabels() {
    return labels;
  }

  String getInputShape() {
    return inputShape;
  }

  String getNormalization() {
    return normalization;
  }

  String getMetrics() {
    return metrics;
  }

  String getConfusion() {
    return confusion;
  }

  UUID getArtifactId() {
    return artifactId;
  }

  Instant getCreatedAt() {
    return createdAt;
  }

  ModelSource getSource() {
    return source;
  }

  String getDatasetSha256() {
    return datasetSha256;
  }

  String getLibraryVersions() {
    return libraryVersions;
  }
}
