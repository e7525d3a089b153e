package io.deeptrain.dataset;

import java.util.List;

/** A parsed tabular dataset: numeric features and a class index per row, before any split. */
record TabularTable(
    List<String> featureNames, List<String> classes, double[][] features, int[] labels) {

  int rows() {
    return labels.length;
  }
}
