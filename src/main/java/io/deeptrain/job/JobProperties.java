package io.deeptrain.job;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The queue and its workers.
 *
 * @param workers concurrent training jobs on this replica (1 on CPU: ND4J already uses every core)
 * @param dispatch whether this replica claims and runs jobs (false: API only)
 * @param pollInterval how often the dispatcher looks for work when no notification arrives
 * @param heartbeatInterval how often a replica proves it still runs its jobs
 * @param staleAfter a RUNNING job whose heartbeat is older than this is requeued by any replica
 * @param reaperInterval how often each replica looks for stale jobs
 * @param maxAttempts attempts before a job whose worker keeps dying is FAILED
 * @param replicaId this replica's identity as the owner of the jobs it runs (default: pid@host plus
 *     a random suffix)
 */
@Validated
@ConfigurationProperties("deeptrain.jobs")
public record JobProperties(
    @DefaultValue("1") @Min(1) @Max(64) int workers,
    @DefaultValue("true") boolean dispatch,
    @DefaultValue("2s") Duration pollInterval,
    @DefaultValue("2s") Duration heartbeatInterval,
    @DefaultValue("30s") Duration staleAfter,
    @DefaultValue("5s") Duration reaperInterval,
    @DefaultValue("3") @Min(1) @Max(100) int maxAttempts,
    @DefaultValue("") String replicaId) {}
