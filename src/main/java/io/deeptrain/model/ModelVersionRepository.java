package io.deeptrain.model;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ModelVersionRepository extends JpaRepository<ModelVersionEntity, UUID> {

  @Query("select coalesce(max(m.version), 0) from ModelVersionEntity m where m.name = ?1")
  int maxVersion(String name);
}
