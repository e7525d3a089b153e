package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/** Test images placed by their code: the first two latent dimensions. */
@Schema(
    name = "LatentResponse",
    description =
        "The model's dataset's test split encoded (mean codes), first two latent dimensions, with"
            + " each image's label.")
record LatentResponse(
    UUID modelId,
    String dataset,
    @Schema(description = "Latent dimension of the model; y is 0 when it is 1.") int latentSize,
    List<Point> points,
    @Schema(description = "Class names; a point's label is one of them.") List<String> labels) {

  /** One encoded test image. */
  @Schema(name = "LatentPoint")
  record Point(double x, double y, String label) {}
}
