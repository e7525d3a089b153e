package io.deeptrain.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A recurrent network of stacked LSTM layers, then an output layer chosen by {@code head}. Every
 * layer but the last passes its whole sequence on (stacking needs it); whether the last one does
 * follows from the head, so a spec cannot ask for a shape its head cannot use.
 */
@Schema(
    name = "LstmSpec",
    description =
        "Stacked LSTM layers for sequences ([steps, features] per example). The output layer is"
            + " derived from the head: CLASSIFICATION reads the last step into a softmax over the"
            + " dataset's classes. An image [channels, height, width] is read with view"
            + " ROWS_AS_SEQUENCE as height steps of channels*width features.",
    example =
        """
        {"type":"LSTM","layers":[{"units":128}],"bidirectional":false,"dropout":0.0,\
        "head":"CLASSIFICATION","view":"ROWS_AS_SEQUENCE"}""")
public record LstmSpec(
    @Schema(description = "LSTM layers, input side first (1 to 16 layers).") List<LstmLayer> layers,
    @Schema(
            description =
                "Read each sequence both ways: every layer becomes a forward and a backward LSTM"
                    + " whose outputs are concatenated (twice the units and parameters).",
            defaultValue = "false")
        Boolean bidirectional,
    @Schema(
            description =
                "Probability of dropping an input of each layer after the first (and of the"
                    + " output layer) while training, in [0, 1).",
            defaultValue = "0.0")
        Double dropout,
    @Schema(
            description =
                "Truncated backpropagation through time: steps per segment. Only for the"
                    + " LANGUAGE_MODEL head (one label per step); unset = full sequences.")
        Integer tbpttLength,
    @Schema(
            description =
                "LANGUAGE_MODEL only: characters per training sequence, 2 to 10000 (the model"
                    + " reads any length when generating).",
            defaultValue = "100")
        Integer sequenceLength,
    @Schema(description = "What the network predicts.", defaultValue = "CLASSIFICATION") Head head,
    @Schema(
            description = "How the dataset's examples become sequences.",
            defaultValue = "ROWS_AS_SEQUENCE")
        SequenceView view)
    implements ModelSpec {

  public static final String TYPE = "LSTM";

  /** What the output layer predicts. */
  public enum Head {
    /** One label per sequence: the last step, then softmax over the classes. */
    CLASSIFICATION,
    /** One value per sequence: the last step, then a linear unit trained with squared error. */
    REGRESSION,
    /** One token per step: softmax over the vocabulary at every step. */
    LANGUAGE_MODEL
  }

  /** How an example of the dataset is read as a sequence. */
  public enum SequenceView {
    /** An image [c, h, w] as h steps (rows) of c*w features. */
    ROWS_AS_SEQUENCE
  }

  /** One LSTM layer. */
  @Schema(name = "LstmLayer", description = "One LSTM layer (tanh cell, sigmoid gates).")
  public record LstmLayer(
      @Schema(description = "Units (hidden state size), 1 to 4096.", example = "128")
          Integer units) {}

  @Override
  public String type() {
    return TYPE;
  }

  public boolean bidirectionalOrDefault() {
    return bidirectional != null && bidirectional;
  }

  public double dropoutOrDefault() {
    return dropout == null ? 0.0 : dropout;
  }

  public int sequenceLengthOrDefault() {
    return sequenceLength == null ? 100 : sequenceLength;
  }

  public Head headOrDefault() {
    return head == null ? Head.CLASSIFICATION : head;
  }

  public SequenceView viewOrDefault() {
    return view == null ? SequenceView.ROWS_AS_SEQUENCE : view;
  }

  /**
   * The sequence an example of this shape becomes: [steps, features], or null when the view cannot
   * read it (only images [c, h, w] have rows).
   */
  public List<Integer> sequenceShape(List<Integer> exampleShape) {
    if (exampleShape.size() != 3) {
      return null;
    }
    return List.of(exampleShape.get(1), exampleShape.get(0) * exampleShape.get(2));
  }
}
