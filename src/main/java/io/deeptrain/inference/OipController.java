package io.deeptrain.inference;

import io.deeptrain.model.ModelRegistry;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.system.OwnRequestBodyLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol v2 (KServe / Triton "predict protocol v2") over REST/JSON. Model
 * names resolve like every model reference: a bare name is its production alias or latest version;
 * {@code name@alias} and a model id work too. Errors on these paths are {@code {"error": "..."}} as
 * the protocol says ({@link OipErrors}).
 */
@RestController
@OwnRequestBodyLimit
@RequestMapping(value = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
    name = OipController.TAG,
    description =
        "KServe / Triton predict protocol v2 (REST): health, server and model metadata, and"
            + " inference with tensors. Errors are {\"error\": \"...\"} with 400 for a bad"
            + " request, 404 for an unknown model or version, 503 when the model cannot be"
            + " loaded.")
class OipController {

  static final String TAG = "Open Inference Protocol v2";
  static final String SERVER_NAME = "deeptrain";

  private static final String NAME_DOC =
      "Model name (its production alias, else its latest version), name@alias, or a model id.";

  private final ModelRegistry registry;
  private final ModelCache cache;
  private final OipInference inference;
  private final ApplicationAvailability availability;
  private final InferenceLatency latency;
  private final ObjectProvider<HealthEndpoint> health;
  private final String version;

  OipController(
      ModelRegistry registry,
      ModelCache cache,
      OipInference inference,
      InferenceLatency latency,
      ApplicationAvailability availability,
      ObjectProvider<HealthEndpoint> health,
      @Value("${spring.application.version:development}") String version) {
    this.registry = registry;
    this.cache = cache;
    this.inference = inference;
    this.latency = latency;
    this.availability = availability;
    this.health = health;
    this.version = version;
  }

  @GetMapping
  @Operation(
      operationId = "oipServerMetadata",
      summary = "Server metadata: name, version and protocol extensions")
  OipServerMetadata server() {
    return new OipServerMetadata(SERVER_NAME, version, List.of());
  }

  @GetMapping("/health/live")
  @Operation(
      operationId = "oipServerLive",
      summary = "Liveness: 200 while the server can answer requests")
  Map<String, Boolean> live() {
    return Map.of("live", true);
  }

  @GetMapping("/health/ready")
  @Operation(
      operationId = "oipServerReady",
      summary = "Readiness: 200 when the service accepts traffic, 503 otherwise",
      description =
          "Follows the application's readiness: its availability state and the readiness"
              + " health group (/actuator/health/readiness), which waits for the models"
              + " preloaded at startup.")
  @ApiResponse(responseCode = "200", description = "Ready")
  @ApiResponse(responseCode = "503", description = "Not ready yet")
  ResponseEntity<Map<String, Boolean>> ready() {
    boolean ready =
        availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC && readinessGroupUp();
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("ready", ready));
  }

  @GetMapping("/models/{name}")
  @Operation(
      operationId = "oipModelMetadata",
      summary = "Model metadata: versions, platform, input and output tensors",
      description =
          "Inputs and outputs with datatype and shape (-1: any size, the first dimension is the"
              + " batch). Classifiers take `input` (FP32 [-1, features], or [-1, c, h, w] pixels"
              + " in [0, 1]) or `image` (BYTES: base64 PNG/JPEG) and give `probabilities`,"
              + " `label` and `class_index`; language models `prompt` → `text`; forecasters"
              + " `history` [-1, steps, columns] → `forecast`; generators take no inputs and"
              + " give `image` (BYTES, base64 PNG) and `pixels`.")
  @ApiResponse(responseCode = "200", description = "The model's metadata")
  @ApiResponse(
      responseCode = "404",
      description = "Unknown model",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  OipModelMetadata metadata(@Parameter(description = NAME_DOC) @PathVariable String name) {
    return metadata(registry.resolve(name));
  }

  @GetMapping("/models/{name}/versions/{version}")
  @Operation(
      operationId = "oipModelVersionMetadata",
      summary = "Metadata of one version of a model")
  @ApiResponse(responseCode = "200", description = "OK")
  @ApiResponse(
      responseCode = "404",
      description = "Unknown model or version",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  OipModelMetadata versionMetadata(@PathVariable String name, @PathVariable String version) {
    return metadata(resolve(name, version));
  }

  @GetMapping("/models/{name}/ready")
  @Operation(
      operationId = "oipModelReady",
      summary = "Model readiness: 200 when loaded and warm; else 503 and loading starts",
      description =
          "A model not in memory is loaded in the background on the first call: poll until 200.")
  @ApiResponse(responseCode = "200", description = "Ready: inference answers without loading")
  @ApiResponse(responseCode = "503", description = "Not loaded yet; loading has started")
  @ApiResponse(
      responseCode = "404",
      description = "Unknown model or version",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  ResponseEntity<Map<String, Object>> modelReady(
      @Parameter(description = NAME_DOC) @PathVariable String name) {
    return ready(registry.resolve(name));
  }

  @GetMapping("/models/{name}/versions/{version}/ready")
  @Operation(
      operationId = "oipModelVersionReady",
      summary = "Readiness of one version of a model (200, or 503 and loading starts)")
  @ApiResponse(responseCode = "200", description = "Ready")
  @ApiResponse(responseCode = "503", description = "Not loaded yet; loading has started")
  @ApiResponse(
      responseCode = "404",
      description = "Unknown model or version",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  ResponseEntity<Map<String, Object>> versionReady(
      @PathVariable String name, @PathVariable String version) {
    return ready(resolve(name, version));
  }

  @PostMapping(value = "/models/{name}/infer", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "oipModelInfer",
      summary = "Run inference with tensors",
      description =
          "Send each input as {name, shape, datatype, data}: data flat in row-major order or"
              + " nested like the shape; numeric datatypes FP32, FP64, FP16, INT8-INT64,"
              + " UINT8-UINT64, BOOL; BYTES as strings (images: base64 PNG/JPEG). Generators take"
              + " no inputs: `parameters` {seed, count} (diffusion also steps, sampler) choose"
              + " what to draw; the same seed gives the same images. Language models take"
              + " `parameters` {seed, temperature, top_k, length}. `outputs` picks a subset.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      schema = @Schema(implementation = OipInferRequest.class),
                      examples = {
                        @ExampleObject(
                            name = "tabular classifier",
                            value =
                                "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],"
                                    + "\"datatype\":\"FP32\",\"data\":[[5.1,3.5,1.4,0.2],"
                                    + "[6.7,3.0,5.2,2.3]]}]}"),
                        @ExampleObject(
                            name = "image classifier, PNG",
                            value =
                                "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],"
                                    + "\"datatype\":\"BYTES\",\"data\":[\"iVBORw0KGgo...\"]}],"
                                    + "\"outputs\":[{\"name\":\"label\"}]}"),
                        @ExampleObject(
                            name = "generator",
                            value =
                                "{\"inputs\":[],\"parameters\":{\"seed\":7,\"count\":4},"
                                    + "\"outputs\":[{\"name\":\"image\"}]}"),
                        @ExampleObject(
                            name = "language model",
                            value =
                                "{\"inputs\":[{\"name\":\"prompt\",\"shape\":[1],"
                                    + "\"datatype\":\"BYTES\",\"data\":[\"The \"]}],"
                                    + "\"parameters\":{\"seed\":1,\"temperature\":0.8,"
                                    + "\"length\":100}}")
                      })))
  @ApiResponse(responseCode = "200", description = "The outputs")
  @ApiResponse(
      responseCode = "400",
      description = "Malformed JSON, unknown input or output, wrong datatype or shape",
      content =
          @Content(
              schema = @Schema(implementation = OipError.class),
              examples =
                  @ExampleObject(
                      value =
                          "{\"error\":\"input 'input': shape [1, 4] has 4 elements but data"
                              + " has 3\"}")))
  @ApiResponse(
      responseCode = "404",
      description = "Unknown model or version",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  @ApiResponse(
      responseCode = "503",
      description = "The model cannot be loaded or timed out",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  OipInferResponse infer(
      @Parameter(description = NAME_DOC) @PathVariable String name,
      @RequestBody OipInferRequest request) {
    ModelVersion model = registry.resolve(name);
    return latency.time(model.id(), "infer", () -> inference.infer(model, request));
  }

  @PostMapping(
      value = "/models/{name}/versions/{version}/infer",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "oipModelVersionInfer",
      summary = "Run inference with one version of a model (see /v2/models/{name}/infer)")
  @ApiResponse(responseCode = "200", description = "OK")
  @ApiResponse(
      responseCode = "400",
      description = "Bad request: the error says what is wrong",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  @ApiResponse(
      responseCode = "404",
      description = "Unknown model or version",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  @ApiResponse(
      responseCode = "503",
      description = "The model cannot be loaded or timed out",
      content = @Content(schema = @Schema(implementation = OipError.class)))
  OipInferResponse versionInfer(
      @PathVariable String name,
      @PathVariable String version,
      @RequestBody OipInferRequest request) {
    ModelVersion model = resolve(name, version);
    return latency.time(model.id(), "infer", () -> inference.infer(model, request));
  }

  /**
   * The readiness health group (/actuator/health/readiness) also holds contributors such as the
   * models preloaded at startup; without the health endpoint, the availability state alone.
   */
  private boolean readinessGroupUp() {
    HealthEndpoint endpoint = health.getIfAvailable();
    HealthDescriptor readiness = endpoint == null ? null : endpoint.healthForPath("readiness");
    return readiness == null || Status.UP.equals(readiness.getStatus());
  }

  private ModelVersion resolve(String name, String version) {
    int v;
    try {
      v = Integer.parseInt(version);
    } catch (NumberFormatException e) {
      throw OipTensor.invalid("version '" + version + "' must be a whole number such as 1");
    }
    return registry.resolve(name, v);
  }

  private OipModelMetadata metadata(ModelVersion v) {
    OipSignature sig = OipSignature.of(v);
    List<String> versions = registry.versions(v.name()).stream().map(String::valueOf).toList();
    return new OipModelMetadata(
        v.name(), versions, OipSignature.PLATFORM, sig.inputs(), sig.outputs());
  }

  private ResponseEntity<Map<String, Object>> ready(ModelVersion v) {
    boolean ready = cache.isReady(v.id());
    if (!ready) {
      cache.requestLoad(v.id());
    }
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("name", v.name(), "version", String.valueOf(v.version()), "ready", ready));
  }
}
