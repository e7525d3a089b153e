package io.deeptrain.generative;

import java.util.Map;

/**
 * Measures a generative model's samples against a dataset's test images: every generative job ends
 * with these figures as metrics.
 */
public interface SampleQuality {

  /**
   * Metrics of {@code model}'s samples on {@code dataset}: {@code frechet_distance} (samples vs.
   * test images, in the feature space of the dataset's reference classifier), {@code
   * frechet_distance_noise} (uniform noise vs. test images, the figure to beat), {@code
   * frechet_distance_test} (one half of the test set vs. the other, the floor) and {@code
   * reference_confidence} (the reference classifier's mean top probability on the samples).
   * Deterministic for a seed.
   */
  Map<String, Double> measure(String dataset, GenerativeModel model, long seed);
}
