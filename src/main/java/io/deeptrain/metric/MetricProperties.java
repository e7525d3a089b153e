package io.deeptrain.metric;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param bufferCapacity points held in memory before {@code record} waits for the writer
 * @param batchSize points per INSERT batch
 * @param flushInterval the longest a point waits in the buffer
 * @param iterationEvery record the iteration loss every this many iterations
 * @param maxWait how long {@code record} may wait for room before the job fails
 */
@Validated
@ConfigurationProperties("deeptrain.metrics")
public record MetricProperties(
    @DefaultValue("20000") @jakarta.validation.constraints.Min(100) int bufferCapacity,
    @DefaultValue("2000") @jakarta.validation.constraints.Min(1) int batchSize,
    @DefaultValue("250ms") Duration flushInterval,
    @DefaultValue("10") @jakarta.validation.constraints.Min(1) int iterationEvery,
    @DefaultValue("60s") Duration maxWait) {}
