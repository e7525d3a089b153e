package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** An image with some pixels erased, to complete. */
@Schema(
    name = "InpaintRequest",
    description =
        "Fill in erased pixels: send the image and either a mask image or a list of erased"
            + " pixels.")
record InpaintRequest(
    @Schema(description = "Base64 PNG/JPEG, converted to the model's size and channels.")
        String image,
    @Schema(
            description =
                "Base64 PNG the size of the image (resized to the model's): non-zero pixels are"
                    + " erased.")
        String mask,
    @Schema(description = "Erased pixels as [row, column] pairs in the model's image size.")
        List<List<Integer>> erased,
    @Schema(description = "Seed of the completion; unset: random, echoed in the response.")
        Long seed) {}
