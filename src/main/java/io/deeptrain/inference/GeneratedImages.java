package io.deeptrain.inference;

import io.deeptrain.generative.ImageGrids;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Images a generative endpoint produced, as JSON: the grid a person looks at, each image, and on
 * request the raw pixels. (With {@code Accept: image/png} the endpoints answer the grid alone.)
 */
@Schema(
    name = "GeneratedImages",
    description =
        "Generated images: a PNG grid, each image as PNG, and (raw=true) the pixels in [0, 1].")
public record GeneratedImages(
    UUID modelId,
    @Schema(description = "[n, channels, height, width]") List<Integer> shape,
    @Schema(description = "All images in one PNG grid, base64.") String grid,
    @Schema(description = "Each image as a PNG, base64, in order.") List<String> images,
    @Schema(
            description =
                "Only with raw=true: each image's pixels in [0, 1], flattened channel-major"
                    + " (c, then row, then column).")
        List<float[]> pixels) {

  /** Encodes a batch [n, c, h, w] with pixels in [0, 1]; {@code grid} is the PNG to show. */
  static GeneratedImages of(UUID modelId, INDArray batch, byte[] grid, boolean raw) {
    Base64.Encoder b64 = Base64.getEncoder();
    long[] s = batch.shape();
    List<String> images = new ArrayList<>();
    List<float[]> pixels = raw ? new ArrayList<>() : null;
    for (int i = 0; i < s[0]; i++) {
      INDArray one = batch.get(NDArrayIndex.point(i));
      images.add(b64.encodeToString(ImageGrids.png(one)));
      if (raw) {
        pixels.add(one.dup('c').data().asFloat());
      }
    }
    return new GeneratedImages(
        modelId,
        List.of((int) s[0], (int) s[1], (int) s[2], (int) s[3]),
        b64.encodeToString(grid),
        images,
        pixels);
  }
}
