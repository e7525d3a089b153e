package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** An Open Inference Protocol v2 model metadata response. */
@Schema(
    name = "OipModelMetadata",
    example =
        """
        {"name":"iris-mlp","versions":["1","2"],"platform":"deeplearning4j",\
        "inputs":[{"name":"input","datatype":"FP32","shape":[-1,4]}],\
        "outputs":[{"name":"probabilities","datatype":"FP32","shape":[-1,3]},\
        {"name":"label","datatype":"BYTES","shape":[-1]},\
        {"name":"class_index","datatype":"INT64","shape":[-1]}]}""")
record OipModelMetadata(
    String name,
    @Schema(description = "Every registered version of the name.") List<String> versions,
    String platform,
    List<TensorMetadata> inputs,
    List<TensorMetadata> outputs) {

  /** A tensor's name, datatype and shape; -1 is a dimension of any size (the batch). */
  @Schema(name = "OipTensorMetadata")
  record TensorMetadata(String name, String datatype, List<Long> shape) {}
}
