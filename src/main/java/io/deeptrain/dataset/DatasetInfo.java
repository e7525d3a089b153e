package io.deeptrain.dataset;

import java.util.List;

/**
 * What a dataset holds, as the API and job validation see it.
 *
 * @param kind "tabular" for CSV data, "image" for images
 * @param inputShape shape of one input row, e.g. [4] for iris, [channels, height, width] for images
 * @param featureNames column names of tabular data; empty for images
 * @param trainRows rows in the training split at the default test fraction (or the fixed split)
 * @param testRows rows in the test split at the default test fraction (or the fixed split)
 * @param source where the data came from (built in, a folder, or an upload)
 * @param fixedSplit the dataset comes with its own train/test split (MNIST, CIFAR): a job's
 *     testFraction is ignored
 * @param trainPerClass training rows per class, in the order of {@code classes}; null when counting
 *     would mean reading the whole dataset
 * @param testPerClass test rows per class, like {@code trainPerClass}
 */
public record DatasetInfo(
    String name,
    String kind,
    List<Integer> inputShape,
    List<String> featureNames,
    List<String> classes,
    int rows,
    int trainRows,
    int testRows,
    String source,
    String description,
    boolean fixedSplit,
    List<Integer> trainPerClass,
    List<Integer> testPerClass) {

  public static final String TABULAR = "tabular";
  public static final String IMAGE = "image";

  /** A UTF-8 corpus: inputShape is [vocabulary size], classes the vocabulary's characters. */
  public static final String TEXT = "text";

  /**
   * Numeric columns over time: inputShape is [window, columns], classes the predicted values (last
   * column +1 ... +horizon).
   */
  public static final String TIME_SERIES = "timeseries";

  /** A dataset split by a seeded stratified split, without per-class counts. */
  public DatasetInfo(
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
    this(
        name,
        kind,
        inputShape,
        featureNames,
        classes,
        rows,
        trainRows,
        testRows,
        source,
        description,
        false,
        null,
        null);
  }
}
