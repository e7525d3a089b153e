package io.deeptrain.dataset;

import java.util.List;

/** A dataset as the API shows it. */
record DatasetView(
    String name,
    String kind,
    List<Integer> inputShape,
    List<String> featureNames,
    List<String> classes,
    int rows,
    int trainRows,
    int testRows,
    String source,
    String description) {

  static DatasetView from(DatasetInfo info) {
    return new DatasetView(
        info.name(),
        info.kind(),
        info.inputShape(),
        info.featureNames(),
        info.classes(),
        info.rows(),
        info.trainRows(),
        info.testRows(),
        info.source(),
        info.description());
  }
}
