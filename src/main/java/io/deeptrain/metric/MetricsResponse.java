package io.deeptrain.metric;

import java.util.List;
import java.util.UUID;

/** The series of one job, sorted by name. */
public record MetricsResponse(UUID jobId, List<MetricSeries> series) {}
