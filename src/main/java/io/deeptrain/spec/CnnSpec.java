package io.deeptrain.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A convolutional network for images: the listed layers, input side first, then a softmax output
 * layer over the dataset's classes (flattening first if the last layer leaves a feature map).
 */
@Schema(
    name = "CnnSpec",
    description =
        "Convolutional network for image data ([channels, height, width]). The output layer"
            + " (softmax over the dataset's classes) is added after the listed layers.",
    example =
        """
        {"type":"CNN","layers":[\
        {"type":"CONV2D","filters":32,"kernelSize":3,"activation":"RELU"},\
        {"type":"MAX_POOL","size":2},\
        {"type":"CONV2D","filters":64,"kernelSize":3,"activation":"RELU"},\
        {"type":"MAX_POOL","size":2},\
        {"type":"CONV2D","filters":64,"kernelSize":3,"activation":"RELU"},\
        {"type":"FLATTEN"},\
        {"type":"DENSE","units":64,"activation":"RELU"}]}""")
public record CnnSpec(
    @Schema(description = "Layers, input side first (1 to 128 layers).") List<CnnLayer> layers)
    implements ModelSpec {

  public static final String TYPE = "CNN";

  @Override
  public String type() {
    return TYPE;
  }
}
