package io.deeptrain.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Model bytes, kept in PostgreSQL so that every replica can load every model. */
@Entity
@Table(name = "artifacts")
class ArtifactEntity {

  @Id private UUID id;

  @Column(name = "media_type", nullable = false)
  private String mediaType;

  @Column(nullable = false, columnDefinition = "bytea")
  private byte[] content;

  @Column(nullable = false)
  private String sha256;

  @Column(name = "size_bytes", nullable = false)
  private long sizeBytes;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected ArtifactEntity() {}

  ArtifactEntity(UUID id, String mediaType, byte[] content, String sha256, Instant createdAt) {
    this.id = id;
    this.mediaType = mediaType;
    this.content = content;
    this.sha256 = sha256;
    this.sizeBytes = content.length;
    this.createdAt = createdAt;
  }

  UUID getId() {
    return id;
  }

  String getMediaType() {
    return mediaType;
  }

  byte[] getContent() {
    return content;
  }

  String getSha256() {
    return sha256;
  }

  long getSizeBytes() {
    return sizeBytes;
  }
}
