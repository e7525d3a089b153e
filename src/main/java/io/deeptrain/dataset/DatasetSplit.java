package io.deeptrain.dataset;

import java.util.List;

/**
 * A dataset opened for one training run: a stratified train/test split, both standardised with the
 * statistics of the training rows. Arrays are owned by the caller (fresh copies per call).
 *
 * @param trainLabels class index per training row, into {@code classes}
 */
public record DatasetSplit(
    DatasetInfo info,
    double[][] trainFeatures,
    int[] trainLabels,
    double[][] testFeatures,
    int[] testLabels,
    Standardization standardization) {

  public List<String> classes() {
    return info.classes();
  }

  public List<Integer> inputShape() {
    return info.inputShape();
  }

  public int features() {
    return standardization.features();
  }
}
