package io.deeptrain.dataset;

import io.deeptrain.system.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The datasets a job can train on: the built-in tabular ones, image datasets found in the data
 * folders, and uploads (kept in PostgreSQL). Content is loaded on first open and cached once per
 * dataset; every {@link #open} of an image dataset shares that one pixel block through index views,
 * while a tabular open works on copies of the (small) cached rows.
 */
@Component
public class DatasetCatalog {

  public static final double DEFAULT_TEST_FRACTION = 0.2;

  /** Names an upload may not take: built-ins, and datasets that can appear in the data folder. */
  static final Set<String> RESERVED = Set.of("iris", "wine", "mnist", "fashion-mnist", "kmnist");

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

  /** One dataset: exactly one of table, images and text is set, each loaded on first use. */
  private record Entry(
      DatasetInfo info,
      Lazy<TabularTable> table,
      Lazy<ImageData> images,
      Lazy<TextCorpus> text,
      Lazy<TimeSeries> series) {

    Entry(DatasetInfo info, Lazy<TabularTable> table, Lazy<ImageData> images) {
      this(info, table, images, null, null);
    }
  }

  // Concurrent so uploads can be added while jobs read; `order` keeps the listing stable.
  private final Map<String, Entry> datasets = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final List<Path> folders;
  private final DatasetStore store;
  // Files of the datasets found in folders, and content hashes computed so far (once per name:
  // a dataset's content never changes under its name).
  private final Map<String, List<Path>> folderFiles = new ConcurrentHashMap<>();
  private final Map<String, String> contentHashes = new ConcurrentHashMap<>();

  /** Built-in datasets only: no folders, no database. */
  public DatasetCatalog() {
    this(List.of(), null);
  }

  @Autowired
  DatasetCatalog(DatasetProperties properties, DatasetStore store) {
    this(folders(properties), store);
  }

  DatasetCatalog(List<Path> folders, DatasetStore store) {
    this.folders = List.copyOf(folders);
    this.store = store;
    for (Builtin b : BUILTINS) {
      TabularTable table = readResource(b.resource());
      register(
          new Entry(
              tabularInfo(b.name(), table, b.source(), b.description()), Lazy.ready(table), null));
    }
    rescanFolders();
    // Uploads are read from the database on first use (see syncStored), not here: the catalog must
    // not need a database to be constructed.
  }

  public List<DatasetInfo> list() {
    syncStored();
    return order.stream().map(n -> datasets.get(n).info()).toList();
  }

  public Optional<DatasetInfo> find(String name) {
    return Optional.ofNullable(name == null ? null : entry(name)).map(Entry::info);
  }

  /**
   * Opens a dataset for training. Tabular data: a stratified split by {@code seed}, standardised
   * with statistics of the training rows only (so nothing about the test rows leaks into training).
   * Images: the dataset's own split when it has one (testFraction ignored), else a stratified
   * split; pixels are scaled to [0, 1] and not standardised.
   *
   * @throws ApiException not found, if no dataset has this name
   */
  public DatasetSplit open(String name, double testFraction, long seed) {
    Entry entry = entry(name);
    if (entry == null) {
      throw ApiException.notFound("dataset", name);
    }
    if (entry.text() != null || entry.series() != null) {
      throw new IllegalArgumentException(
          "dataset '" + name + "' is a text corpus or time series: open it with its own method");
    }
    if (entry.images() != null) {
      return openImages(entry, testFraction, seed);
    }
    TabularTable table = entry.table().get();
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

  private static DatasetSplit openImages(Entry entry, double testFraction, long seed) {
    ImageData data = entry.images().get();
    int[] train = data.fixedTrain();
    int[] test = data.fixedTest();
    if (train == null) {
      StratifiedSplit split =
          StratifiedSplit.of(
              data.block().labels(), entry.info().classes().size(), testFraction, seed);
      train = split.train();
      test = split.test();
    }
    return new DatasetSplit(
        entry.info(),
        new ImageExamples(data.block(), train),
        new ImageExamples(data.block(), test),
        null);
  }

  /** The training images of an image dataset, for previews; loads the dataset if needed. */
  ImageBlock images(String name) {
    Entry entry = entry(name);
    if (entry == null) {
      throw ApiException.notFound("dataset", name);
    }
    if (entry.images() == null) {
      throw ApiException.wrongState(
          "dataset '%s' is %s: only image datasets have a preview"
              .formatted(name, entry.info().kind()));
    }
    return entry.images().get().block();
  }

  /** Training-split indices of an image dataset (its own split, or all images for an upload). */
  int[] trainIndices(String name) {
    ImageData data = entry(name).images().get();
    return data.fixedTrain() != null
        ? data.fixedTrain()
        : IntStream.range(0, data.block().size()).toArray();
  }

  /**
   * SHA-256 (hex) of a dataset's content as it is kept: a built-in's CSV file; a folder dataset's
   * files concatenated in reading order (IDX: train images, train labels, test images, test labels,
   * each as on disk, gzipped or not; CIFAR-10: the training batches, then the test batch), so
   * {@code cat FILES | sha256sum} gives the same; an upload's stored content (images: pixels, then
   * big-endian int32 labels). Computed on first request, then cached.
   *
   * @throws ApiException not found, if no dataset has this name
   */
  public String contentSha256(String name) {
    if (entry(name) == null) {
      throw ApiException.notFound("dataset", name);
    }
    return contentHashes.computeIfAbsent(name, this::computeSha256);
  }

  private String computeSha256(String name) {
    MessageDigest digest = sha256();
    Builtin builtin = BUILTINS.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    try {
      if (builtin != null) {
        try (InputStream in = resource(builtin.resource())) {
          digestAll(in, digest);
        }
      } else if (folderFiles.containsKey(name)) {
        for (Path file : folderFiles.get(name)) {
          try (InputStream in = Files.newInputStream(file)) {
            digestAll(in, digest);
          }
        }
      } else {
        return store.sha256(name).orElseThrow(() -> ApiException.notFound("dataset", name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void digestAll(InputStream in, MessageDigest digest) throws IOException {
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Why {@code name} cannot be used for a new dataset, or null if it can. */
  String nameProblem(String name) {
    if (name == null || name.isBlank()) {
      return "is required";
    }
    if (!DatasetNames.PATTERN.matcher(name).matches()) {
      return DatasetNames.RULE + ", got '" + name + "'";
    }
    if (RESERVED.contains(name)) {
      return "'" + name + "' is the name of a built-in dataset";
    }
    if (entry(name) != null) {
      return "'" + name + "' is already taken";
    }
    return null;
  }

  /**
   * A text corpus for a language model.
   *
   * @throws ApiException not found, if no dataset has this name; invalid, if it is not text
   */
  public TextCorpus openText(String name) {
    Entry entry = entry(name);
    if (entry == null) {
      throw ApiException.notFound("dataset", name);
    }
    if (entry.text() == null) {
      throw ApiException.invalid("dataset", "'" + name + "' is not a text dataset");
    }
    return entry.text().get();
  }

  /**
   * A time series for forecasting.
   *
   * @throws ApiException not found, if no dataset has this name; invalid, if it is not one
   */
  public TimeSeries openTimeSeries(String name) {
    Entry entry = entry(name);
    if (entry == null) {
      throw ApiException.notFound("dataset", name);
    }
    if (entry.series() == null) {
      throw ApiException.invalid("dataset", "'" + name + "' is not a time-series dataset");
    }
    return entry.series().get();
  }

  void addUploaded(DatasetInfo info, TimeSeries series) {
    register(new Entry(info, null, null, null, Lazy.ready(series)));
  }

  void addUploaded(DatasetInfo info, TextCorpus text) {
    register(new Entry(info, null, null, Lazy.ready(text), null));
  }

  /** Adds an upload that has just been stored. */
  void addUploaded(DatasetInfo info, TabularTable table) {
    register(new Entry(info, Lazy.ready(table), null));
  }

  void addUploaded(DatasetInfo info, ImageBlock block) {
    register(new Entry(info, null, Lazy.ready(new ImageData(block, null, null))));
  }

  /** Looks for new dataset folders, e.g. after a download. */
  void rescanFolders() {
    for (DatasetFolders.Found f : DatasetFolders.scan(folders)) {
      register(new Entry(f.info(), null, Lazy.of(f.loader())));
      folderFiles.putIfAbsent(f.info().name(), f.files());
    }
  }

  private Entry entry(String name) {
    Entry e = datasets.get(name);
    if (e == null && store != null && DatasetNames.PATTERN.matcher(name).matches()) {
      // Another replica may have stored it since this one started.
      store.info(name).ifPresent(this::registerStored);
      e = datasets.get(name);
    }
    return e;
  }

  private void syncStored() {
    if (store == null) {
      return;
    }
    for (DatasetInfo info : store.infos()) {
      if (!datasets.containsKey(info.name())) {
        registerStored(info);
      }
    }
  }

  private void registerStored(DatasetInfo info) {
    if (DatasetInfo.TEXT.equals(info.kind())) {
      register(
          new Entry(
              info,
              null,
              null,
              Lazy.of(() -> TextCorpus.of(info.name(), store.csv(info.name()))),
              null));
    } else if (DatasetInfo.TIME_SERIES.equals(info.kind())) {
      register(
          new Entry(
              info,
              null,
              null,
              null,
              Lazy.of(
                  () ->
                      TimeSeries.read(
                          info.name(),
                          store.csv(info.name()),
                          info.inputShape().get(0),
                          info.classes().size()))));
    } else if (DatasetInfo.IMAGE.equals(info.kind())) {
      register(new Entry(info, null, Lazy.of(() -> store.images(info))));
    } else {
      register(
          new Entry(
              info,
              Lazy.of(
                  () ->
                      TabularCsvReader.read(info.name(), new StringReader(store.csv(info.name())))),
              null));
    }
  }

  private void register(Entry entry) {
    if (datasets.putIfAbsent(entry.info().name(), entry) == null) {
      order.add(entry.info().name());
    }
  }

  static DatasetInfo timeSeriesInfo(TimeSeries series, String source) {
    int rows = series.values().length;
    int train = series.splitRow(DEFAULT_TEST_FRACTION);
    return new DatasetInfo(
        series.name(),
        DatasetInfo.TIME_SERIES,
        series.inputShape(),
        series.columns(),
        series.targets(),
        rows,
        train,
        rows - train,
        source,
        "%d time steps of %d numeric columns; %d steps predict the next %d value(s) of '%s'"
            .formatted(
                rows,
                series.columns().size(),
                series.window(),
                series.horizon(),
                series.columns().get(series.columns().size() - 1)),
        true,
        null,
        null);
  }

  static DatasetInfo textInfo(TextCorpus text, String source) {
    int test = text.testLength(DEFAULT_TEST_FRACTION);
    return new DatasetInfo(
        text.name(),
        DatasetInfo.TEXT,
        List.of(text.vocabulary().size()),
        List.of(),
        text.vocabulary(),
        text.codes().length,
        text.codes().length - test,
        test,
        source,
        "%d characters of UTF-8 text, a vocabulary of %d characters; the last %d%% is held out"
            .formatted(
                text.codes().length,
                text.vocabulary().size(),
                Math.round(DEFAULT_TEST_FRACTION * 100)),
        false,
        null,
        null);
  }

  static DatasetInfo tabularInfo(
      String name, TabularTable table, String source, String description) {
    int classes = table.classes().size();
    int[] perClass = new int[classes];
    for (int label : table.labels()) {
      perClass[label]++;
    }
    return stratifiedInfo(
        name,
        DatasetInfo.TABULAR,
        List.of(table.featureNames().size()),
        table.featureNames(),
        table.classes(),
        perClass,
        source,
        description);
  }

  /** Info of a dataset split by {@link StratifiedSplit}, with counts at the default fraction. */
  static DatasetInfo stratifiedInfo(
      String name,
      String kind,
      List<Integer> shape,
      List<String> featureNames,
      List<String> classes,
      int[] perClass,
      String source,
      String description) {
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    int rows = 0;
    int testRows = 0;
    for (int n : perClass) {
      int t = StratifiedSplit.testCount(n, DEFAULT_TEST_FRACTION);
      rows += n;
      testRows += t;
      train.add(n - t);
      test.add(t);
    }
    return new DatasetInfo(
        name,
        kind,
        shape,
        featureNames,
        classes,
        rows,
        rows - testRows,
        testRows,
        source,
        description,
        false,
        List.copyOf(train),
        List.copyOf(test));
  }

  private static List<Path> folders(DatasetProperties properties) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(properties.dir());
    dirs.addAll(properties.systemDirs());
    return dirs;
  }

  private static InputStream resource(String resource) {
    InputStream in = DatasetCatalog.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("built-in dataset missing from the classpath: " + resource);
    }
    return in;
  }

  private static TabularTable readResource(String resource) {
    InputStream in = resource(resource);
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
