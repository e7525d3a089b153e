package io.deeptrain.model;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Registered model versions, their aliases and artifacts")
class ModelController {

  static final String MARKDOWN = "text/markdown";

  private final ModelRegistry registry;
  private final ModelCards cards;
  private final ModelUploads uploads;
  private final JsonMapper json;

  ModelController(ModelRegistry registry, ModelCards cards, ModelUploads uploads, JsonMapper json) {
    this.registry = registry;
    this.cards = cards;
    this.uploads = uploads;
    this.json = json;
  }

  /** One page of models, newest first. */
  record ModelPage(List<ModelView> items, int page, int size, long total) {}

  /** Which version an alias should point at. */
  record PromoteRequest(
      @io.swagger.v3.oas.annotations.media.Schema(
              description = "A version number of the name",
              example = "3")
          Integer version) {}

  @GetMapping
  @Operation(operationId = "listModels", summary = "List model versions, newest first")
  ModelPage list(
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size,
      @Parameter(description = "Only the versions of this name") @RequestParam(required = false)
          String name) {
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
    Page<ModelVersion> result =
        registry.list(name == null || name.isBlank() ? null : name, page, size);
    Map<UUID, List<String>> aliases =
        registry.aliasesOf(result.getContent().stream().map(ModelVersion::id).toList());
    return new ModelPage(
        result.map(v -> ModelView.from(v, aliases.get(v.id()))).getContent(),
        page,
        size,
        result.getTotalElements());
  }

  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(
      operationId = "uploadModel",
      summary = "Upload a classifier: a DL4J model zip or a Keras .h5 file",
      description =
          "`file`: a zip written by DL4J's ModelSerializer (MultiLayerNetwork or"
              + " ComputationGraph), stored as it is, or a Keras 2 .h5 saved with model.save(),"
              + " imported through DL4J's KerasModelImport and stored as a DL4J zip. The model is"
              + " loaded and run once on zeros of its input shape: it must output one probability"
              + " per class. It becomes version n+1 of `name` (source UPLOAD or KERAS) and serves"
              + " /classify like a classifier trained here (inputs are fed as they are: no"
              + " standardisation). 400 for a bad field or a file that is neither kind, 413 over"
              + " deeptrain.models.max-upload-size, 422 for an architecture DL4J cannot import or"
              + " a network that is not a classifier.")
  ResponseEntity<ModelView> upload(
      @Parameter(description = "The model file") @RequestParam(required = false) MultipartFile file,
      @Parameter(
              description =
                  "The model name (like a job name: 1-200 characters, without '/', '@', ':' or"
                      + " spaces); the upload becomes its next version")
          @RequestParam(required = false)
          String name,
      @Parameter(
              description =
                  "Class names in output order, comma-separated or a JSON list; default"
                      + " \"0\"..\"k-1\"")
          @RequestParam(required = false)
          String labels,
      @Parameter(
              description =
                  "Shape of one input, e.g. 4 or 1,28,28; required when the network does not"
                      + " say it (its first layer is not dense)")
          @RequestParam(required = false)
          String inputShape) {
    UUID id = uploads.upload(new ModelUploads.Upload(file, name, labels, inputShape));
    return ResponseEntity.created(URI.create("/api/v1/models/" + id)).body(view(registry.get(id)));
  }

  @GetMapping("/{ref}")
  @Operation(
      operationId = "getModel",
      summary =
          "One model version: source, aliases, spec, labels, input shape, normalisation, metrics")
  ModelView get(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref) {
    return view(registry.resolve(ref));
  }

  @GetMapping(value = "/{ref}/card", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "The model card: provenance, configuration, results, artifact, library versions",
      description =
          "Name, version, aliases, source, job, spec, dataset with the SHA-256 of its content,"
              + " training configuration and seed, final metrics, labels, input shape, parameter"
              + " count, the artifact's SHA-256 and size, and the DL4J/ND4J, backend, Java and"
              + " deeptrain versions at registration. `Accept: text/markdown` gives it as Markdown.")
  ModelCard card(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref) {
    return cards.of(registry.resolve(ref));
  }

  @GetMapping(value = "/{ref}/card", produces = MARKDOWN)
  @Operation(summary = "The model card as Markdown")
  ResponseEntity<String> cardMarkdown(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref) {
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(MARKDOWN + ";charset=UTF-8"))
        .body(cards.of(registry.resolve(ref)).markdown(json));
  }

  @GetMapping("/{name}/aliases")
  @Operation(
      summary = "The aliases of a model name",
      description = "`latest` (built in: the highest version) first, then the others by name.")
  List<ModelRegistry.Alias> aliases(@PathVariable String name) {
    return registry.aliases(name);
  }

  @PutMapping(value = "/{name}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Promote a version: point an alias at it",
      description =
          "Creates the alias or moves it to `version`. Then `name@alias` refers to that version;"
              + " a bare `name` refers to its `production` alias when set. Alias names: 1-40"
              + " lower-case letters, digits, '-' and '_', starting with a letter; `latest` is"
              + " built in and cannot be set.")
  ModelRegistry.Alias promote(
      @PathVariable String name,
      @Parameter(example = "production") @PathVariable String alias,
      @RequestBody(required = false) PromoteRequest request) {
    if (request == null || request.version() == null) {
      throw ApiException.invalid(
          "version", "is required: the version number to point the alias at");
    }
    return registry.promote(name, alias, request.version());
  }

  @DeleteMapping("/{name}/aliases/{alias}")
  @Operation(summary = "Demote: remove an alias (404 if the name has no such alias)")
  ResponseEntity<Void> demote(@PathVariable String name, @PathVariable String alias) {
    registry.demote(name, alias);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{ref}/confusion")
  @Operation(
      summary = "The classifier's confusion matrix on its test split",
      description =
          "counts[actual][predicted], accuracy and per-class precision, recall and F1;"
              + " GET /confusion.png draws it as a heat map.")
  ConfusionView confusion(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref) {
    ModelVersion v = registry.resolve(ref);
    if (v.confusion() == null) {
      throw ApiException.wrongState(
          "model " + v.id() + " has no confusion matrix (it is not a classifier trained here)");
    }
    return ConfusionView.from(v.id(), v.labels(), v.confusion());
  }

  @GetMapping(value = "/{ref}/confusion.png", produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(summary = "The confusion matrix as a PNG heat map")
  ResponseEntity<byte[]> confusionPng(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref) {
    return ResponseEntity.ok()
        .contentType(MediaType.IMAGE_PNG)
        .body(ConfusionHeatMap.render(confusion(ref)));
  }

  @GetMapping("/{ref}/artifact")
  @Operation(
      summary = "Download the DL4J model zip",
      description =
          "Load it with ModelSerializer.restoreMultiLayerNetwork (or restoreComputationGraph, as"
              + " the media type says). The ETag is its SHA-256.")
  ResponseEntity<byte[]> artifact(
      @Parameter(description = ModelRefs.DESCRIPTION, example = ModelRefs.EXAMPLE) @PathVariable
          String ref) {
    ModelRegistry.Artifact a = registry.artifact(registry.resolve(ref));
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(a.mediaType()))
        .contentLength(a.sizeBytes())
        .eTag("\"" + a.sha256() + "\"")
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(a.fileName()).build().toString())
        .body(a.content());
  }

  private ModelView view(ModelVersion v) {
    return ModelView.from(v, registry.aliasesOf(List.of(v.id())).get(v.id()));
  }
}
