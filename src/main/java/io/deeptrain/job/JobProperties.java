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
 * @param defaultTimeout how long one attempt of a job may run when its request names no {@code
 *     timeout}
 * @param maxTimeout the largest {@code timeout} a request may ask for
 * @param retryBackoff the wait before a job's second attempt after a lost run or retryable failure;
 *     it doubles with every further attempt
 * @param maxRetryBackoff the longest wait between attempts
 * @param maxQueued QUEUED jobs beyond which a submission is refused with 429
 * @param maxRunningPerKey jobs of one API key that may run at once across all replicas (0 =
 *     unlimited; open mode has no keys and no limit)
 * @param shutdownGrace how long a stopping replica waits for its running jobs to checkpoint and go
 *     back to the queue; keep it below Kubernetes' terminationGracePeriodSeconds (minus the time
 *     the web server takes to drain), or the pod is killed first and the reaper requeues the jobs
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
    @DefaultValue("") String replicaId,
    @DefaultValue("24h") Duration defaultTimeout,
    @DefaultValue("7d") Duration maxTimeout,
    @DefaultValue("10s") Duration retryBackoff,
    @DefaultValue("10m") Duration maxRetryBackoff,
    @DefaultValue("1000") @Min(1) int maxQueued,
    @DefaultValue("0") @Min(0) int maxRunningPerKey,
    @DefaultValue("20s") Duration shutdownGrace) {

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} attempts were made. */
  Duration backoffAfter(int attempt) {
    return RetryBackoff.delay(retryBackoff, maxRetryBackoff, attempt);
  }
}
