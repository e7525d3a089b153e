package io.deeptrain.metric;

/** Metrics could not be written in time; the job must fail rather than silently lose points. */
public class MetricBufferFullException extends RuntimeException {
  public MetricBufferFullException(String message) {
    super(message);
  }
}
