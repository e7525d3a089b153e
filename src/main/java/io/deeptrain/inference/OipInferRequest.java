package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** An Open Inference Protocol v2 inference request (REST/JSON). */
@Schema(
    name = "OipInferRequest",
    description =
        "Inputs as tensors (name, shape, datatype, data) and, for generative models, sampling"
            + " settings in `parameters`.",
    example =
        """
        {"id":"42","inputs":[{"name":"input","shape":[2,4],"datatype":"FP32",\
        "data":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]}],"outputs":[{"name":"label"}]}""")
record OipInferRequest(
    @Schema(description = "Echoed in the response.") String id,
    @Schema(
            description =
                "Request settings. Generators: `seed` (integer, same seed same images), `count`"
                    + " (or `n`, images 1 to 256); diffusion also `steps` and `sampler` (DDIM or"
                    + " DDPM). Language models: `seed`, `temperature`, `top_k`, `length`.",
            example = "{\"seed\":7,\"count\":4}")
        Map<String, Object> parameters,
    @ArraySchema(schema = @Schema(implementation = Input.class)) List<Input> inputs,
    @Schema(
            description =
                "Outputs to return, by name (see the model's metadata); unset: all of them.")
        List<RequestedOutput> outputs) {

  /** One input tensor. */
  @Schema(name = "OipInferInput")
  record Input(
      @Schema(
              description = "Input name from the model's metadata.",
              example = "input",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String name,
      @Schema(
              description = "Every dimension's size (no -1 here); the first is the batch.",
              example = "[2, 4]",
              requiredMode = Schema.RequiredMode.REQUIRED)
          List<Long> shape,
      @Schema(
              description = "Element type.",
              allowableValues = {
                "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
                "FP16", "FP32", "FP64", "BYTES"
              },
              example = "FP32",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String datatype,
      @Schema(description = "Input settings (unused).") Map<String, Object> parameters,
      JsonNode data) {}

  /** An output the client wants. */
  @Schema(name = "OipRequestedOutput")
  record RequestedOutput(
      @Schema(example = "probabilities") String name,
      @Schema(description = "Output settings (unused).") Map<String, Object> parameters) {}
}
