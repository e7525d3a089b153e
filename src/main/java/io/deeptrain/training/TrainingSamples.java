package io.deeptrain.training;

import java.util.UUID;

/**
 * Where a model's per-epoch samples go (a language model's generated text, a generative model's PNG
 * grid); a metric holds numbers only. A rerun of the same epoch replaces its sample.
 */
public interface TrainingSamples {

  void record(UUID jobId, int epoch, String text);

  /** A PNG image of samples after {@code epoch} (a grid of generated images). */
  void recordImage(UUID jobId, int epoch, byte[] png);

  static TrainingSamples none() {
    return new TrainingSamples() {
      @Override
      public void record(UUID jobId, int epoch, String text) {}

      @Override
      public void recordImage(UUID jobId, int epoch, byte[] png) {}
    };
  }
}
