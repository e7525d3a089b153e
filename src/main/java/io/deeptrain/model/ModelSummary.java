package io.deeptrain.model;

import io.deeptrain.spec.SpecGeometry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A model's layers with their output shapes and parameter counts, as Keras' {@code model.summary()}
 * shows them. Counts equal DL4J's {@code numParams()}: batch norm counts its running mean and
 * variance, which Keras reports as non-trainable.
 */
@Schema(description = "Layers, output shapes and parameter counts, like Keras' model.summary().")
public record ModelSummary(
    @Schema(description = "Shape of one input: [features] or [channels, height, width].")
        List<Integer> inputShape,
    List<Row> layers,
    @Schema(description = "Every parameter, as DL4J's numParams() counts them.") long totalParams,
    long trainableParams,
    @Schema(description = "Batch-norm running means and variances.") long nonTrainableParams,
    @Schema(
            description =
                "The summary as Keras prints it; shapes there are channels-last, (None, H, W, C).")
        String table) {

  /** One layer; the last row is the output layer derived from the classes. */
  public record Row(
      @Schema(example = "conv2d") String name,
      @Schema(example = "Conv2D") String type,
      @Schema(description = "[channels, height, width] or [units].", example = "[32, 30, 30]")
          List<Integer> outputShape,
      @Schema(example = "896") long params) {}

  /** A summary of a plan that fits. */
  public static ModelSummary from(SpecGeometry.Plan plan) {
    if (!plan.fits()) {
      throw new IllegalArgumentException("the spec does not fit: " + plan.violations());
    }
    List<Row> rows =
        plan.layers().stream()
            .map(l -> new Row(l.name(), l.kind(), l.outputShape(), l.params()))
            .toList();
    long total = plan.totalParams();
    long frozen = plan.nonTrainableParams();
    return new ModelSummary(
        plan.inputShape(), rows, total, total - frozen, frozen, table(rows, total, frozen));
  }

  static String table(List<Row> rows, long total, long frozen) {
    int first = 29;
    for (Row r : rows) {
      first = Math.max(first, label(r).length() + 1);
    }
    int width = first + 26 + 10;
    String rule = "_".repeat(width) + "\n";
    StringBuilder out = new StringBuilder(rule);
    out.append(line("Layer (type)", "Output Shape", "Param #", first))
        .append("=".repeat(width))
        .append('\n');
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.append(line(label(r), keras(r.outputShape()), String.format("%,d", r.params()), first));
      out.append(i == rows.size() - 1 ? "=".repeat(width) + "\n" : rule);
    }
    out.append(String.format("Total params: %,d%n", total))
        .append(String.format("Trainable params: %,d%n", total - frozen))
        .append(String.format("Non-trainable params: %,d%n", frozen))
        .append(rule);
    return out.toString().replace("\r\n", "\n");
  }

  private static String label(Row r) {
    return r.name() + " (" + r.type() + ")";
  }

  private static String line(String a, String b, String c, int first) {
    return String.format("%-" + first + "s%-26s%-10s", a, b, c).stripTrailing() + "\n";
  }

  /** Keras writes (None, 30, 30, 32): batch first, channels last. */
  private static String keras(List<Integer> shape) {
    List<Integer> ordered =
        shape.size() == 3 ? List.of(shape.get(1), shape.get(2), shape.get(0)) : shape;
    return ordered.stream().map(String::valueOf).collect(Collectors.joining(", ", "(None, ", ")"));
  }
}
