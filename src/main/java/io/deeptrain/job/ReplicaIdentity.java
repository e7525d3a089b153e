package io.deeptrain.job;

import java.lang.management.ManagementFactory;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Who this replica is when it owns a job. Random per application context, so two replicas never
 * share an identity even when they run in one JVM.
 */
@Component
class ReplicaIdentity {

  private final String id;

  ReplicaIdentity(JobProperties props) {
    this.id =
        props.replicaId().isBlank()
            ? ManagementFactory.getRuntimeMXBean().getName()
                + "-"
                + UUID.randomUUID().toString().substring(0, 8)
            : props.replicaId();
  }

  String id() {
    return id;
  }
}
