package io.deeptrain.model;

import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ModelVersionRepository extends JpaRepository<ModelVersionEntity, UUID> {

  Page<ModelVersionEntity> findByName(String name, Pageable pageable);

  @Query("select coalesce(max(m.version), 0) from ModelVersionEntity m where m.name = ?1")
  int maxVersion(String name);
}
