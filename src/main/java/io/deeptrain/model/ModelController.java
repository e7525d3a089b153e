package io.deeptrain.model;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Registered model versions and their artifacts")
class ModelController {

  private final ModelRegistry registry;

  ModelController(ModelRegistry registry) {
    this.registry = registry;
  }

  /** One page of models, newest first. */
  record ModelPage(List<ModelView> items, int page, int size, long total) {}

  @GetMapping
  @Operation(summary = "List model versions, newest first")
  ModelPage list(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
    List<FieldViolation> violations = new ArrayList<>();
    if (page < 0) {
      violations.add(new FieldViolation("page", "must be >= 0, got " + page));
    }
    if (size < 1 || size > 200) {
      violations.add(new FieldViolation("size", "must be between 1 and 200, got " + size));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    Page<ModelVersion> result = registry.list(page, size);
    return new ModelPage(
        result.map(ModelView::from).getContent(), page, size, result.getTotalElements());
  }

  @GetMapping("/{id}")
  @Operation(summary = "One model version: spec, labels, input shape, normalisation, metrics")
  ModelView get(@PathVariable UUID id) {
    return ModelView.from(registry.get(id));
  }

  @GetMapping("/{id}/confusion")
  @Operation(
      summary = "The classifier's confusion matrix on its test split",
      description =
          "counts[actual][predicted], accuracy and per-class precision, recall and F1;"
              + " GET /confusion.png draws it as a heat map.")
  ConfusionView confusion(@PathVariable UUID id) {
    ModelVersion v = registry.get(id);
    if (v.confusion() == null) {
      throw ApiException.wrongState(
          "model " + id + " has no confusion matrix (it is not a classifier trained here)");
    }
    return ConfusionView.from(id, v.labels(), v.confusion());
  }

  @GetMapping(value = "/{id}/confusion.png", produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(summary = "The confusion matrix as a PNG heat map")
  ResponseEntity<byte[]> confusionPng(@PathVariable UUID id) {
    return ResponseEntity.ok()
        .contentType(MediaType.IMAGE_PNG)
        .body(ConfusionHeatMap.render(confusion(id)));
  }

  @GetMapping("/{id}/artifact")
  @Operation(
      summary = "Download the DL4J model zip",
      description =
          "Load it with ModelSerializer.restoreMultiLayerNetwork. The ETag is its SHA-256.")
  ResponseEntity<byte[]> artifact(@PathVariable UUID id) {
    ModelRegistry.Artifact a = registry.artifact(id);
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(a.mediaType()))
        .contentLength(a.sizeBytes())
        .eTag("\"" + a.sha256() + "\"")
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(a.fileName()).build().toString())
        .body(a.content());
  }
}
