package io.deeptrain.dataset;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Labelled examples of one split, held compactly (a tabular split as floats, an image split as the
 * dataset's own bytes); a batch becomes a float array only when it is asked for, so a 60k-image
 * dataset is never copied whole per split or per epoch.
 */
public interface Examples {

  /** Number of examples. */
  int size();

  /** Shape of one example: [features] for tabular data, [channels, height, width] for images. */
  List<Integer> shape();

  /** Class index of every example, into the dataset's classes. Do not modify. */
  int[] labels();

  /**
   * The given examples as a new float array of shape [rows.length, ...shape()], normalised the way
   * the model sees them (standardised features; pixels scaled to [0, 1]). The caller closes it.
   */
  INDArray features(int[] rows);
}
