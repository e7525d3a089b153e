package io.deeptrain.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** An Open Inference Protocol v2 server metadata response. */
@Schema(
    name = "OipServerMetadata",
    example = "{\"name\":\"deeptrain\",\"version\":\"0.1.0\",\"extensions\":[]}")
record OipServerMetadata(String name, String version, List<String> extensions) {}
