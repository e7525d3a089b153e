package io.deeptrain.dataset;

import io.deeptrain.system.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Data a job can train on")
class DatasetController {

  private final DatasetCatalog catalog;
  private final DatasetUploads uploads;
  private final DatasetPreview preview;
  private final DatasetDownloads downloads;

  DatasetController(
      DatasetCatalog catalog,
      DatasetUploads uploads,
      DatasetPreview preview,
      DatasetDownloads downloads) {
    this.catalog = catalog;
    this.uploads = uploads;
    this.preview = preview;
    this.downloads = downloads;
  }

  @GetMapping
  @Operation(operationId = "listDatasets", summary = "List datasets")
  List<DatasetView> list() {
    return catalog.list().stream().map(DatasetView::from).toList();
  }

  @GetMapping("/{name}")
  @Operation(
      summary = "Describe a dataset: input shape, features, classes, split counts (per class)")
  DatasetView describe(@PathVariable String name) {
    return catalog
        .find(name)
        .map(DatasetView::from)
        .orElseThrow(() -> ApiException.notFound("dataset", name));
  }

  // Every part is optional here so that a missing one is reported with the others, by name.
  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(
      operationId = "uploadDataset",
      summary = "Upload a dataset",
      description =
          "kind=images: a zip of class-named folders of PNG/JPEG images, resized to width x height"
              + " when declared (else all images must share one size), channels 1 (grayscale) or 3"
              + " (RGB), default from the first image. kind=tabular: a CSV with a header row,"
              + " numeric features and a class column (labelColumn, default the last). kind=text: a"
              + " UTF-8 text for a character-level language model (its vocabulary is every"
              + " distinct character; the last 20% is held out). 400 for bad input (invalid UTF-8),"
              + " kind=timeseries: a CSV of numeric columns, one row per time step; with `window`"
              + " rows (default 24) an LSTM with head REGRESSION predicts the last column's next"
              + " `horizon` values (default 1); the last 20% of the rows is held out."
              + " 413 when too large.")
  ResponseEntity<DatasetView> upload(
      @RequestParam(required = false) MultipartFile file,
      @RequestParam(required = false) String name,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) Integer width,
      @RequestParam(required = false) Integer height,
      @RequestParam(required = false) Integer channels,
      @RequestParam(required = false) String labelColumn,
      @RequestParam(required = false) Integer window,
      @RequestParam(required = false) Integer horizon) {
    DatasetInfo info =
        uploads.upload(
            new DatasetUploads.Upload(
                file, name, kind, width, height, channels, labelColumn, window, horizon));
    return ResponseEntity.created(URI.create("/api/v1/datasets/" + info.name()))
        .body(DatasetView.from(info));
  }

  @GetMapping(value = "/{name}/preview.png", produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(
      summary = "A PNG grid of training images, a few per class",
      description = "404 for an unknown dataset, 409 (wrong-state) for a tabular one.")
  ResponseEntity<byte[]> preview(@PathVariable String name) {
    return ResponseEntity.ok()
        .contentType(MediaType.IMAGE_PNG)
        .cacheControl(CacheControl.noCache())
        .body(preview.png(name));
  }

  @PostMapping("/{name}/download")
  @Operation(
      summary = "Download mnist or fashion-mnist into the data directory (SHA-256 verified)",
      description =
          "200 with the dataset once present (at once if it already is); 404 for a name with no"
              + " known download; 502 (download-failed) when offline or a checksum differs, saying"
              + " where to put the files by hand.")
  DatasetView download(@PathVariable String name) {
    return DatasetView.from(downloads.download(name));
  }
}
