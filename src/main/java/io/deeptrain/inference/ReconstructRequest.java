package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Images to pass through a VAE. */
@Schema(name = "ReconstructRequest", description = "Images to encode and decode with a VAE.")
record ReconstructRequest(
    @Schema(
            description =
                "Base64 PNG/JPEG images (1 to 256), converted to the model's size and channels.")
        List<String> images) {}
