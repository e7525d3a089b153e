package io.deeptrain.metric;

import java.time.Instant;
import java.util.UUID;

/**
 * One value of one series of a job. {@code step} is the epoch number for per-epoch metrics and the
 * iteration number for per-iteration ones; (job, name, step) is unique.
 */
public record MetricPoint(
    UUID jobId, String name, long step, int epoch, double value, Instant recordedAt) {}
