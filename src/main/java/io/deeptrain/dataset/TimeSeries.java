package io.deeptrain.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Numeric columns over time, one row per step, for forecasting: from {@code window} rows, predict
 * the last column's next {@code horizon} values. Rows keep their order; the first 80% (by time)
 * trains and fixes the standardisation, the windows whose targets fall after it test.
 */
public record TimeSeries(
    String name, List<String> columns, double[][] values, int window, int horizon) {

  public static final int MAX_WINDOW = 1000;
  public static final int MAX_HORIZON = 100;

  /** Input shape of one example: [window steps, columns]. */
  public List<Integer> inputShape() {
    return List.of(window, columns.size());
  }

  /** Names of the predicted values: target+1 ... target+horizon. */
  public List<String> targets() {
    List<String> out = new ArrayList<>();
    for (int h = 1; h <= horizon; h++) {
      out.add(columns.get(columns.size() - 1) + "+" + h);
    }
    return out;
  }

  /** Rows before this index train (and give the standardisation); later targets test. */
  public int splitRow(double testFraction) {
    return values.length - (int) Math.round(values.length * testFraction);
  }

  /**
   * Reads a CSV with a header row and only numeric cells.
   *
   * @throws DatasetFormatException naming the line and column of the first problem
   */
  public static TimeSeries read(String name, String csv, int window, int horizon) {
    String[] lines = csv.strip().split("\r?\n");
    if (lines.length < 2) {
      throw new DatasetFormatException("the CSV needs a header row and at least one row");
    }
    List<String> columns = List.of(lines[0].split(",", -1)).stream().map(String::strip).toList();
    double[][] values = new double[lines.length - 1][];
    for (int i = 1; i < lines.length; i++) {
      String[] cells = lines[i].split(",", -1);
      if (cells.length != columns.size()) {
        throw new DatasetFormatException(
            "line %d has %d cells; the header has %d"
                .formatted(i + 1, cells.length, columns.size()));
      }
      double[] row = new double[cells.length];
      for (int c = 0; c < cells.length; c++) {
        try {
          row[c] = Double.parseDouble(cells[c].strip());
        } catch (NumberFormatException e) {
          throw new DatasetFormatException(
              "line %d, column '%s': '%s' is not a number"
                  .formatted(i + 1, columns.get(c), cells[c].strip()));
        }
        if (!Double.isFinite(row[c])) {
          throw new DatasetFormatException(
              "line %d, column '%s': values must be finite".formatted(i + 1, columns.get(c)));
        }
      }
      values[i - 1] = row;
    }
    TimeSeries series = new TimeSeries(name, columns, values, window, horizon);
    int trainRows = series.splitRow(DatasetCatalog.DEFAULT_TEST_FRACTION);
    if (trainRows < window + horizon + 1 || values.length - trainRows < horizon + 1) {
      throw new DatasetFormatException(
          ("%d rows are too few for window %d and horizon %d: the first 80%% must hold a window and"
                  + " its targets, the rest at least horizon + 1 rows")
              .formatted(values.length, window, horizon));
    }
    return series;
  }
}
