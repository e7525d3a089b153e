package io.deeptrain.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Stop when an epoch metric has not improved for a while, and keep the best epoch's model. */
@Schema(
    description =
        "Early stopping: after each epoch, stop when the metric has not improved by more than"
            + " minDelta for patience epochs. The model registered is the best epoch's, not the"
            + " last.",
    example =
        """
        {"metric":"test_loss","patience":3,"minDelta":0.001}""")
public record EarlyStoppingSpec(
    @Schema(
            description = "The epoch metric to watch.",
            allowableValues = {"test_loss", "test_accuracy", "train_loss", "train_accuracy"},
            defaultValue = "test_loss")
        String metric,
    @Schema(
            description = "Epochs without improvement before stopping, 1 to 10000.",
            defaultValue = "5")
        Integer patience,
    @Schema(
            description = "Smallest change that counts as an improvement, >= 0.",
            defaultValue = "0.0")
        Double minDelta,
    // The default depends on the metric, so it is described rather than given as a schema default
    // (which must be one of the enum's values).
    @Schema(
            description =
                "MIN: lower is better; MAX: higher is better. Default: MIN for *_loss, MAX for"
                    + " *_accuracy.")
        Mode mode) {

  public static final List<String> METRICS =
      List.of("test_loss", "test_accuracy", "train_loss", "train_accuracy");
  public static final int DEFAULT_PATIENCE = 5;

  /** Which direction is better. */
  public enum Mode {
    MIN,
    MAX
  }

  /** A copy with defaults filled in; {@code metric} must be valid or null. */
  public EarlyStoppingSpec resolved() {
    String m = metric == null ? "test_loss" : metric;
    return new EarlyStoppingSpec(
        m,
        patience == null ? DEFAULT_PATIENCE : patience,
        minDelta == null ? 0.0 : minDelta,
        mode != null ? mode : m.endsWith("accuracy") ? Mode.MAX : Mode.MIN);
  }
}
