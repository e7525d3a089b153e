package io.deeptrain.job;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Checkpoints of running jobs, kept in PostgreSQL so any replica can resume them.
 *
 * @param everyIterations also checkpoint every this many iterations, not only at epoch ends (0:
 *     epoch ends only); a long epoch then loses at most this many iterations to a crash
 * @param keep newest checkpoints kept per job (older ones are deleted as new ones land)
 */
@Validated
@ConfigurationProperties("deeptrain.checkpoints")
public record CheckpointProperties(
    @DefaultValue("500") @Min(0) int everyIterations,
    @DefaultValue("2") @Min(1) @Max(100) int keep) {}
