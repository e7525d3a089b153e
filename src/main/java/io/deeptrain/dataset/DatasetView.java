package io.deeptrain.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * A dataset as the API shows it.
 *
 * @param fixedSplit true when the dataset brings its own train/test split (a job's testFraction is
 *     then ignored)
 * @param perClass rows per class in each split; null when counting would mean reading all the data
 */
record DatasetView(
    String name,
    String kind,
    List<Integer> inputShape,
    List<String> featureNames,
    List<String> classes,
    int rows,
    int trainRows,
    int testRows,
    boolean fixedSplit,
    List<ClassCount> perClass,
    String source,
    String description) {

  record ClassCount(String name, int train, int test) {}

  static DatasetView from(DatasetInfo info) {
    List<ClassCount> perClass = null;
    if (info.trainPerClass() != null && info.testPerClass() != null) {
      perClass = new ArrayList<>();
      for (int c = 0; c < info.classes().size(); c++) {
        perClass.add(
            new ClassCount(
                info.classes().get(c), info.trainPerClass().get(c), info.testPerClass().get(c)));
      }
    }
    return new DatasetView(
        info.name(),
        info.kind(),
        info.inputShape(),
        info.featureNames(),
        info.classes(),
        info.rows(),
        info.trainRows(),
        info.testRows(),
        info.fixedSplit(),
        perClass,
        info.source(),
        info.description());
  }
}
