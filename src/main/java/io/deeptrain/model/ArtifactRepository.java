package io.deeptrain.model;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ArtifactRepository extends JpaRepository<ArtifactEntity, UUID> {}
