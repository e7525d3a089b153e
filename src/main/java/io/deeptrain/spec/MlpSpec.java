package io.deeptrain.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A multi-layer perceptron: dense hidden layers, then an output layer derived from the dataset. */
@Schema(
    name = "MlpSpec",
    description = "Multi-layer perceptron for tabular data.",
    example =
        """
        {"type":"MLP","layers":[{"units":16,"activation":"RELU"},{"units":16,"activation":"RELU"}],"dropout":0.0}""")
public record MlpSpec(
    @Schema(description = "Hidden layers, input side first (1 to 64 layers).")
        List<DenseLayerSpec> layers,
    @Schema(
            description =
                "Probability of dropping a hidden unit during training, applied to each hidden"
                    + " layer's output (not to the raw features), in [0, 1).",
            defaultValue = "0.0")
        Double dropout)
    implements ModelSpec {

  public static final String TYPE = "MLP";

  @Override
  public String type() {
    return TYPE;
  }

  /** Dropout with its default applied. */
  public double dropoutOrDefault() {
    return dropout == null ? 0.0 : dropout;
  }
}
