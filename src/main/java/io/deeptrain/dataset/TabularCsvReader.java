package io.deeptrain.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a CSV with a header row, numeric feature columns and the class name in the last column. The
 * one reader for built-in and uploaded tabular data, so both fail the same way on bad input.
 */
final class TabularCsvReader {

  private TabularCsvReader() {}

  static TabularTable read(String fileName, Reader reader) {
    String[] header = null;
    List<double[]> features = new ArrayList<>();
    List<String> labelNames = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(reader)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (header == null) {
          header = trimmed(cells);
          if (header.length < 2) {
            throw new DatasetFormatException(
                fileName + ": the header needs at least one feature column and a label column");
          }
          continue;
        }
        // Rows are counted from 1 after the header, the way a spreadsheet user would count them.
        int row = features.size() + 1;
        if (cells.length != header.length) {
          throw new DatasetFormatException(
              "%s row %d (line %d): expected %d columns as in the header, got %d"
                  .formatted(fileName, row, lineNo, header.length, cells.length));
        }
        double[] values = new double[header.length - 1];
        for (int c = 0; c < values.length; c++) {
          values[c] = number(fileName, row, lineNo, header[c], cells[c].trim());
        }
        String label = cells[header.length - 1].trim();
        if (label.isEmpty()) {
          throw new DatasetFormatException(
              "%s row %d (line %d), column '%s': the class name is empty"
                  .formatted(fileName, row, lineNo, header[header.length - 1]));
        }
        features.add(values);
        labelNames.add(label);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(fileName + ": cannot be read", e);
    }
    if (header == null || features.isEmpty()) {
      throw new DatasetFormatException(fileName + ": no header or no data rows");
    }
    // Sorted class names: the output order does not depend on the order of the rows.
    List<String> classes = List.copyOf(new TreeSet<>(labelNames));
    if (classes.size() < 2) {
      throw new DatasetFormatException(
          fileName + ": the label column needs at least two classes, found " + classes);
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    int[] labels = labelNames.stream().mapToInt(index::get).toArray();
    return new TabularTable(
        List.of(Arrays.copyOf(header, header.length - 1)),
        classes,
        features.toArray(double[][]::new),
        labels);
  }

  private static double number(String fileName, int row, int lineNo, String column, String cell) {
    double value;
    try {
      value = Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!Double.isFinite(value)) {
      throw new DatasetFormatException(
          "%s row %d (line %d), column '%s': '%s' is not a finite number"
              .formatted(fileName, row, lineNo, column, cell));
    }
    return value;
  }

  private static String[] trimmed(String[] cells) {
    return Arrays.stream(cells).map(String::trim).toArray(String[]::new);
  }
}
