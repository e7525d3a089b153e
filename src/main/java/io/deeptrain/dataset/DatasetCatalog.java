package io.deeptrain.dataset;

import io.deeptrain.system.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/**
 * The datasets a job can train on. Built-in datasets are small, so they are parsed once at startup
 * and kept in memory; every {@link #open} works on copies of the cached rows.
 */
@Component
public class DatasetCatalog {

  public static final double DEFAULT_TEST_FRACTION = 0.2;

  private record Builtin(String name, String resource, String source, String description) {}

  private static final List<Builtin> BUILTINS =
      List.of(
          new Builtin(
              "iris",
              "datasets/iris.csv",
              "built-in: UCI Iris (Fisher, 1936)",
              "150 iris flowers, 4 measurements in cm, 3 species"),
          new Builtin(
              "wine",
              "datasets/wine.csv",
              "built-in: UCI Wine recognition (Forina et al.)",
              "178 wines, 13 chemical measurements, 3 cultivars"));

  private record Entry(DatasetInfo info, TabularTable table) {}

  // Concurrent so uploads can be added while jobs read; `order` keeps the listing stable.
  private final Map<String, Entry> datasets = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();

  public DatasetCatalog() {
    for (Builtin b : BUILTINS) {
      add(b.name(), readResource(b.resource()), b.source(), b.description());
    }
  }

  public List<DatasetInfo> list() {
    return order.stream().map(n -> datasets.get(n).info()).toList();
  }

  public Optional<DatasetInfo> find(String name) {
    return Optional.ofNullable(name == null ? null : datasets.get(name)).map(Entry::info);
  }

  /**
   * Opens a dataset for training: a stratified split by {@code seed}, standardised with statistics
   * of the training rows only (so nothing about the test rows leaks into training).
   *
   * @throws ApiException not found, if no dataset has this name
   */
  public DatasetSplit open(String name, double testFraction, long seed) {
    Entry entry = datasets.get(name);
    if (entry == null) {
      throw ApiException.notFound("dataset", name);
    }
    TabularTable table = entry.table();
    StratifiedSplit split =
        StratifiedSplit.of(table.labels(), table.classes().size(), testFraction, seed);
    double[][] train = rows(table.features(), split.train());
    double[][] test = rows(table.features(), split.test());
    Standardization standardization = Standardization.fit(train);
    for (double[] row : train) {
      standardization.apply(row);
    }
    for (double[] row : test) {
      standardization.apply(row);
    }
    return new DatasetSplit(
        entry.info(),
        new TabularExamples(train, labels(table.labels(), split.train())),
        new TabularExamples(test, labels(table.labels(), split.test())),
        standardization);
  }

  private void add(String name, TabularTable table, String source, String description) {
    int[] perClass = new int[table.classes().size()];
    for (int label : table.labels()) {
      perClass[label]++;
    }
    int testRows = 0;
    for (int n : perClass) {
      testRows += StratifiedSplit.testCount(n, DEFAULT_TEST_FRACTION);
    }
    DatasetInfo info =
        new DatasetInfo(
            name,
            DatasetInfo.TABULAR,
            List.of(table.featureNames().size()),
            table.featureNames(),
            table.classes(),
            table.rows(),
            table.rows() - testRows,
            testRows,
            source,
            description);
    if (datasets.putIfAbsent(name, new Entry(info, table)) == null) {
      order.add(name);
    }
  }

  private static TabularTable readResource(String resource) {
    InputStream in = DatasetCatalog.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("built-in dataset missing from the classpath: " + resource);
    }
    try (InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      String fileName = resource.substring(resource.lastIndexOf('/') + 1);
      return TabularCsvReader.read(fileName, reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double[][] rows(double[][] features, int[] indices) {
    double[][] out = new double[indices.length][];
    for (int i = 0; i < indices.length; i++) {
      out[i] = features[indices[i]].clone();
    }
    return out;
  }

  private static int[] labels(int[] labels, int[] indices) {
    int[] out = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      out[i] = labels[indices[i]];
    }
    return out;
  }
}
