package io.deeptrain.dataset;

import java.util.List;

/**
 * A dataset opened for one training run.
 *
 * @param standardization the per-feature transform fitted on the training split (tabular data), or
 *     null for images, whose pixels are scaled to [0, 1]
 */
public record DatasetSplit(
    DatasetInfo info, Examples train, Examples test, Standardization standardization) {

  public List<String> classes() {
    return info.classes();
  }

  public List<Integer> inputShape() {
    return info.inputShape();
  }
}
