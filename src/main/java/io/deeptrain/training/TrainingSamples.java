package io.deeptrain.training;

import java.util.UUID;

/** Where a language model's per-epoch generated text goes; a metric holds numbers only. */
public interface TrainingSamples {

  void record(UUID jobId, int epoch, String text);

  static TrainingSamples none() {
    return (job, epoch, text) -> {};
  }
}
