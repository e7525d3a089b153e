package io.deeptrain.dataset;

import java.util.List;

/**
 * What a dataset holds, as the API and job validation see it.
 *
 * @param kind "tabular" for CSV data (images and text come later)
 * @param inputShape shape of one input row, e.g. [4] for iris
 * @param trainRows rows in the training split at the default test fraction
 * @param testRows rows in the test split at the default test fraction
 * @param source where the data came from (built in, or an upload)
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
    String description) {

  public static final String TABULAR = "tabular";
}
