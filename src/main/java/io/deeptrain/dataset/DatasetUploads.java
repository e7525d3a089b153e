package io.deeptrain.dataset;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.web.multipart.MultipartFile;

/** Turns an upload into a stored dataset: validate, decode, store, then list it. */
@Service
class DatasetUploads {

  static final int MAX_SIDE = 1024;

  /** An upload as the client sent it; any field may be missing. */
  record Upload(
      MultipartFile file,
      String name,
      String kind,
      Integer width,
      Integer height,
      Integer channels,
      String labelColumn,
      Integer window,
      Integer horizon) {}

  private final DatasetCatalog catalog;
  private final DatasetStore store;
  private final DatasetProperties properties;

  DatasetUploads(DatasetCatalog catalog, DatasetStore store, DatasetProperties properties) {
    this.catalog = catalog;
    this.store = store;
    this.properties = properties;
  }

  DatasetInfo upload(Upload u) {
    List<FieldViolation> violations = new ArrayList<>();
    String nameProblem = catalog.nameProblem(u.name());
    if (nameProblem != null) {
      violations.add(new FieldViolation("name", nameProblem));
    }
    if (u.kind() == null
        || !List.of("images", "tabular", "text", "timeseries").contains(u.kind())) {
      violations.add(
          new FieldViolation(
              "kind",
              "must be one of images, tabular, text, timeseries"
                  + (u.kind() == null ? "" : ", got '" + u.kind() + "'")));
    }
    if (u.file() == null || u.file().isEmpty()) {
      violations.add(new FieldViolation("file", "is required and must not be empty"));
    }
    if ("images".equals(u.kind())) {
      checkImageParameters(u, violations);
    }
    if (u.window() != null && (u.window() < 1 || u.window() > TimeSeries.MAX_WINDOW)) {
      violations.add(
          new FieldViolation(
              "window", "must be between 1 and " + TimeSeries.MAX_WINDOW + ", got " + u.window()));
    }
    if (u.horizon() != null && (u.horizon() < 1 || u.horizon() > TimeSeries.MAX_HORIZON)) {
      violations.add(
          new FieldViolation(
              "horizon",
              "must be between 1 and " + TimeSeries.MAX_HORIZON + ", got " + u.horizon()));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    long max = properties.maxUploadSize().toBytes();
    if (u.file().getSize() > max) {
      throw UploadProblems.tooLarge(
          "the file has %d bytes, more than the %d allowed (deeptrain.datasets.max-upload-size)"
              .formatted(u.file().getSize(), max));
    }
    try {
      return switch (u.kind()) {
        case "images" -> images(u);
        case "text" -> text(u);
        case "timeseries" -> timeSeries(u);
        default -> tabular(u);
      };
    } catch (DuplicateKeyException e) {
      // Another request or replica stored the same name between our check and the insert.
      throw ApiException.invalid("name", "'" + u.name() + "' is already taken");
    }
  }

  private DatasetInfo images(Upload u) {
    ImageZipReader.Result result;
    try (InputStream in = u.file().getInputStream()) {
      result =
          ImageZipReader.read(
              in,
              new ImageZipReader.Declared(u.width(), u.height(), u.channels()),
              properties.maxDecodedSize().toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ImageBlock block = result.block();
    int[] perClass = new int[result.classes().size()];
    for (int label : block.labels()) {
      perClass[label]++;
    }
    DatasetInfo info =
        DatasetCatalog.stratifiedInfo(
            u.name(),
            DatasetInfo.IMAGE,
            List.of(block.channels(), block.height(), block.width()),
            List.of(),
            result.classes(),
            perClass,
            "upload: " + originalName(u),
            "%d %s %dx%d images in %d classes, uploaded; split by a seeded stratified split"
                .formatted(
                    block.size(),
                    block.channels() == 1 ? "grayscale" : "RGB",
                    block.width(),
                    block.height(),
                    result.classes().size()));
    store.insertImages(info, block);
    catalog.addUploaded(info, block);
    return info;
  }

  private DatasetInfo text(Upload u) {
    byte[] bytes;
    try {
      bytes = u.file().getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TextCorpus corpus;
    try {
      corpus = TextCorpus.of(u.name(), TextCorpus.decode(bytes));
    } catch (DatasetFormatException e) {
      throw UploadProblems.invalid(e.getMessage());
    }
    DatasetInfo info = DatasetCatalog.textInfo(corpus, "upload: " + originalName(u));
    store.insertText(info, bytes);
    catalog.addUploaded(info, corpus);
    return info;
  }

  private DatasetInfo timeSeries(Upload u) {
    String csv;
    try {
      csv = TextCorpus.decode(u.file().getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DatasetFormatException e) {
      throw UploadProblems.invalid(e.getMessage());
    }
    TimeSeries series;
    try {
      series =
          TimeSeries.read(
              u.name(),
              csv,
              u.window() == null ? 24 : u.window(),
              u.horizon() == null ? 1 : u.horizon());
    } catch (DatasetFormatException e) {
      throw UploadProblems.invalid(e.getMessage());
    }
    DatasetInfo info = DatasetCatalog.timeSeriesInfo(series, "upload: " + originalName(u));
    store.insertTabular(info, csv);
    catalog.addUploaded(info, series);
    return info;
  }

  private DatasetInfo tabular(Upload u) {
    String csv;
    try {
      csv = new String(u.file().getBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (u.labelColumn() != null && !u.labelColumn().isBlank()) {
      csv = labelLast(csv, u.labelColumn().strip());
    }
    TabularTable table;
    try {
      table = TabularCsvReader.read(originalName(u), new StringReader(csv));
    } catch (DatasetFormatException e) {
      throw UploadProblems.invalid(e.getMessage());
    }
    if (table.rows() == 0) {
      throw UploadProblems.invalid("the CSV has a header but no rows");
    }
    if (table.classes().size() < 2) {
      throw UploadProblems.invalid(
          "only one class ('%s'): a classifier needs at least two"
              .formatted(table.classes().get(0)));
    }
    DatasetInfo info =
        DatasetCatalog.tabularInfo(
            u.name(),
            table,
            "upload: " + originalName(u),
            "%d rows, %d numeric features, %d classes, uploaded CSV"
                .formatted(table.rows(), table.featureNames().size(), table.classes().size()));
    // Stored with the label moved last, so it reads back through the same reader unchanged.
    store.insertTabular(info, csv);
    catalog.addUploaded(info, table);
    return info;
  }

  private static void checkImageParameters(Upload u, List<FieldViolation> violations) {
    if ((u.width() == null) != (u.height() == null)) {
      violations.add(
          new FieldViolation(
              u.width() == null ? "width" : "height", "declare both width and height, or neither"));
    }
    for (var side :
        List.of(new Object[] {"width", u.width()}, new Object[] {"height", u.height()})) {
      Integer v = (Integer) side[1];
      if (v != null && (v < 1 || v > MAX_SIDE)) {
        violations.add(
            new FieldViolation(
                (String) side[0], "must be between 1 and " + MAX_SIDE + ", got " + v));
      }
    }
    if (u.channels() != null && u.channels() != 1 && u.channels() != 3) {
      violations.add(
          new FieldViolation("channels", "must be 1 (grayscale) or 3 (RGB), got " + u.channels()));
    }
  }

  /** The CSV with the named (or 0-based numbered) column moved to the end. */
  static String labelLast(String csv, String column) {
    String[] lines = csv.split("\r?\n", -1);
    int header = 0;
    while (header < lines.length && lines[header].isBlank()) {
      header++;
    }
    if (header == lines.length) {
      return csv;
    }
    String[] names = lines[header].split(",", -1);
    int index = -1;
    for (int i = 0; i < names.length; i++) {
      if (names[i].strip().equals(column)) {
        index = i;
      }
    }
    if (index < 0 && column.matches("\\d+") && Integer.parseInt(column) < names.length) {
      index = Integer.parseInt(column);
    }
    if (index < 0) {
      throw ApiException.invalid(
          "labelColumn", "'" + column + "' is not a column of the header " + List.of(names));
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank()) {
        out.append(line).append('\n');
        continue;
      }
      String[] cells = line.split(",", -1);
      if (index >= cells.length) {
        out.append(line).append('\n'); // the reader reports the wrong column count
        continue;
      }
      List<String> reordered = new ArrayList<>(List.of(cells));
      String label = reordered.remove(index);
      reordered.add(label);
      out.append(String.join(",", reordered)).append('\n');
    }
    return out.toString();
  }

  private static String originalName(Upload u) {
    String name = u.file().getOriginalFilename();
    return name == null || name.isBlank() ? "upload" : name.replaceAll("[\\r\\n]", "");
  }
}
