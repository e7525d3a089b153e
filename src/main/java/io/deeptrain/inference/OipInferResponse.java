package io.deeptrain.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** An Open Inference Protocol v2 inference response. */
@Schema(
    name = "OipInferResponse",
    example =
        """
        {"model_name":"iris-mlp","model_version":"1","id":"42",\
        "parameters":{"model_id":"3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f"},\
        "outputs":[{"name":"label","shape":[2],"datatype":"BYTES","data":["setosa","virginica"]}]}""")
@JsonInclude(JsonInclude.Include.NON_NULL)
record OipInferResponse(
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    @Schema(description = "The request's id, when it had one.") String id,
    @Schema(
            description =
                "model_id (the version that answered); for sampling models the settings used,"
                    + " e.g. seed (send it again for the same output).")
        Map<String, Object> parameters,
    List<Output> outputs) {

  /** One output tensor, data flat in row-major order. */
  @Schema(name = "OipInferOutput")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Output(
      String name,
      List<Long> shape,
      String datatype,
      @Schema(
              description =
                  "For BYTES images: content_type image/png and encoding base64 (each element"
                      + " is one base64 PNG).")
          Map<String, Object> parameters,
      Object data) {}
}
