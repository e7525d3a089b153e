package io.deeptrain.metric;

import java.util.UUID;

/** Accepts the metric points of a running job; {@link MetricSink} writes them to PostgreSQL. */
public interface MetricRecorder {

  /**
   * Records one point. {@code step} is the epoch for per-epoch series and the global iteration for
   * per-iteration ones. May wait briefly when the writer is behind; throws {@link
   * MetricBufferFullException} rather than drop a point.
   */
  void record(UUID jobId, String name, long step, int epoch, double value);
}
