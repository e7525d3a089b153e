package io.deeptrain.spec;

import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Works out, without building a network, the shape each layer of a spec outputs and how many
 * parameters it holds, for a given input shape and number of classes; and says which layer cannot
 * work on that input (a window larger than its feature map, a CNN on tabular rows).
 *
 * <p>Shapes are written as the datasets write them: [channels, height, width] for a feature map,
 * [n] for a vector. VALID windows give floor((in - k) / s) + 1, SAME ones ceil(in / s) — DL4J's
 * Truncate and Same convolution modes. Layer names follow Keras ({@code conv2d}, {@code conv2d_1},
 * ...) so a summary reads like the Keras one; the derived output layer is the last {@code dense}.
 */
@Component
public class SpecGeometry {

  /** The default of deeptrain.specs.max-parameters. */
  public static final long MAX_PARAMS = 100_000_000L;

  /** Bytes per value and values kept per parameter while training (weight, gradient, 2 moments). */
  private static final long FLOAT_BYTES = 4;

  private static final long VALUES_PER_PARAM = 4;

  private final SpecLimits limits;

  /** With the default limits, for code that builds networks outside the service. */
  public SpecGeometry() {
    this(SpecLimits.DEFAULTS);
  }

  @Autowired
  public SpecGeometry(SpecLimits limits) {
    this.limits = limits;
  }

  /**
   * One layer as placed on the input.
   *
   * @param index position in {@code spec.layers}, or -1 for the derived output layer
   * @param name Keras-style name, unique in the model; {@code CnnBuilder} names vertices the same
   * @param kind Keras class name, e.g. Conv2D
   * @param outputShape [channels, height, width] or [n]
   * @param params every parameter, as DL4J counts them (batch norm: gamma, beta, mean, variance)
   * @param nonTrainableParams batch-norm running means and variances, as Keras reports them
   */
  public record LayerShape(
      int index,
      String name,
      String kind,
      List<Integer> outputShape,
      long params,
      long nonTrainableParams) {}

  /** Every layer that could be placed, and what made the rest impossible (empty when it fits). */
  public record Plan(
      List<Integer> inputShape, List<LayerShape> layers, List<FieldViolation> violations) {

    public boolean fits() {
      return violations.isEmpty();
    }

    public long totalParams() {
      return layers.stream().mapToLong(LayerShape::params).sum();
    }

    public long nonTrainableParams() {
      return layers.stream().mapToLong(LayerShape::nonTrainableParams).sum();
    }

    /** Values one example holds in memory on its way through: its input and every layer output. */
    public long activationsPerExample() {
      return Walk.product(inputShape)
          + layers.stream().mapToLong(l -> Walk.product(l.outputShape())).sum();
    }
  }

  private final SpecValidator validator = new SpecValidator();

  /**
   * Violations (each for a 422) when the spec cannot run on inputs of this shape.
   *
   * @param dataset named in messages; null when the shape was given directly
   * @param inputShape one example's shape: [features] or [channels, height, width]
   * @param path JSON path of the spec in the request, e.g. "spec"
   * @throws IllegalArgumentException if the spec itself is invalid: run {@link SpecValidator} first
   */
  public List<FieldViolation> check(
      ModelSpec spec, String dataset, List<Integer> inputShape, int classes, String path) {
    return plan(spec, dataset, inputShape, classes, path).violations();
  }

  /** {@link #check(ModelSpec, String, List, int, String)} without a dataset name. */
  public List<FieldViolation> check(
      ModelSpec spec, List<Integer> inputShape, int classes, String path) {
    return check(spec, null, inputShape, classes, path);
  }

  /**
   * {@link #check(ModelSpec, String, List, int, String)}, then whether one training step with
   * batches of {@code batchSize} fits deeptrain.specs.max-training-memory; that violation names
   * {@code batchPath}.
   */
  public List<FieldViolation> check(
      ModelSpec spec,
      String dataset,
      List<Integer> inputShape,
      int classes,
      String path,
      int batchSize,
      String batchPath) {
    Plan plan = plan(spec, dataset, inputShape, classes, path);
    if (!plan.fits()) {
      return plan.violations();
    }
    long perExample = plan.activationsPerExample();
    long fixed = fixedTrainingBytes(plan);
    long perBatchExample = perExampleTrainingBytes(plan);
    long max = limits.maxTrainingMemory().toBytes();
    double needed = trainingBytes(plan, batchSize);
    if (needed <= max) {
      return List.of();
    }
    long largestBatch = perBatchExample == 0 ? 0 : Math.max(0, (max - fixed) / perBatchExample);
    return List.of(
        new FieldViolation(
            batchPath,
            String.format(
                "a training step of this spec on batches of %,d needs about %s (%,d parameters,"
                    + " %,d activations per example); at most %s are allowed"
                    + " (deeptrain.specs.max-training-memory): %s",
                batchSize,
                bytes(needed),
                plan.totalParams(),
                perExample,
                bytes(max),
                largestBatch >= 1
                    ? "use a batch of at most " + largestBatch
                    : "use fewer filters or units, or pool earlier")));
  }

  /**
   * Estimated bytes of one training step of a spec that fits its input ({@link Plan#fits()}):
   * weights, gradients and two updater states per parameter, plus activations and their gradients
   * for every example of the batch. The same figure deeptrain.specs.max-training-memory bounds;
   * device admission compares it with a device's memory.
   */
  public static double trainingBytes(Plan plan, int batchSize) {
    return fixedTrainingBytes(plan) + (double) perExampleTrainingBytes(plan) * batchSize;
  }

  private static long fixedTrainingBytes(Plan plan) {
    return FLOAT_BYTES * VALUES_PER_PARAM * plan.totalParams();
  }

  private static long perExampleTrainingBytes(Plan plan) {
    return FLOAT_BYTES * 2 * plan.activationsPerExample();
  }

  /** "1.2 GB" or "340.0 MB". */
  public static String bytes(double b) {
    return b >= 1L << 30
        ? String.format("%.1f GB", b / (1L << 30))
        : String.format("%.1f MB", b / (1L << 20));
  }

  /** Every layer's output shape and parameter count, as far as the input allows. */
  public Plan plan(
      ModelSpec spec, String dataset, List<Integer> inputShape, int classes, String path) {
    List<FieldViolation> invalid = validator.validate(spec, path);
    if (!invalid.isEmpty()) {
      throw new IllegalArgumentException("validate the spec first: " + invalid);
    }
    if (inputShape == null || inputShape.isEmpty() || inputShape.stream().anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException("input shape must be non-empty and positive");
    }
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    Walk walk = new Walk(path, List.copyOf(inputShape), classes, limits.maxParameters());
    if (spec instanceof MlpSpec mlp) {
      walk.mlp(mlp);
    } else if (spec instanceof CnnSpec cnn) {
      walk.cnn(cnn, dataset);
    } else if (spec instanceof LstmSpec lstm) {
      walk.lstm(lstm, dataset);
    } else if (spec instanceof VaeSpec vae) {
      vae.checkFits(inputShape, path, walk.out);
    } else if (spec instanceof GanSpec gan) {
      gan.checkFits(inputShape, path, walk.out, limits.maxParameters());
    } else if (spec instanceof DiffusionSpec diffusion) {
      diffusion.checkFits(inputShape, path, walk.out);
    }
    return new Plan(List.copyOf(inputShape), List.copyOf(walk.layers), List.copyOf(walk.out));
  }

  /** Keras-style channels-last text for a shape: 30x30x32, or 1024 for a vector. */
  public static String describe(List<Integer> shape) {
    if (shape.size() == 3) {
      return shape.get(1) + "x" + shape.get(2) + "x" + shape.get(0);
    }
    return shape.stream().map(String::valueOf).reduce((a, b) -> a + "x" + b).orElse("");
  }

  /** One pass over the layers, keeping the current shape. */
  private static final class Walk {
    final String path;
    final int classes;
    final List<LayerShape> layers = new ArrayList<>();
    final List<FieldViolation> out = new ArrayList<>();
    final Map<String, Integer> counters = new HashMap<>();
    final long maxParams;
    List<Integer> shape;

    Walk(String path, List<Integer> input, int classes, long maxParams) {
      this.path = path;
      this.maxParams = maxParams;
      this.shape = input;
      this.classes = classes;
    }

    void mlp(MlpSpec mlp) {
      long in = product(shape);
      for (int i = 0; i < mlp.layers().size(); i++) {
        int units = mlp.layers().get(i).units();
        add(i, "dense", "Dense", List.of(units), in * units + units, 0);
        in = units;
      }
      add(-1, "dense", "Dense", List.of(classes), in * classes + classes, 0);
      limit();
    }

    void cnn(CnnSpec cnn, String dataset) {
      if (shape.size() != 3) {
        String source = dataset == null ? "the input" : "dataset '" + dataset + "'";
        String has =
            shape.size() == 1 ? shape.get(0) + " features" : "input shape " + shape.toString();
        out.add(
            new FieldViolation(
                path,
                "CNN needs image input [channels, height, width]; " + source + " has " + has));
        return;
      }
      for (int i = 0; i < cnn.layers().size(); i++) {
        if (!place(i, cnn.layers().get(i))) {
          return;
        }
      }
      long in = product(shape);
      add(-1, "dense", "Dense", List.of(classes), in * classes + classes, 0);
      limit();
    }

    /**
     * LSTM layers on the sequence the view reads: [steps, features] in, [steps, units] out while
     * the sequence is passed on. DL4J's LSTM (no peepholes) holds 4 gate blocks of input weights,
     * recurrent weights and biases; a bidirectional layer twice that, with outputs concatenated.
     */
    void lstm(LstmSpec lstm, String dataset) {
      String source = dataset == null ? "the input" : "dataset '" + dataset + "'";
      LstmSpec.Head head = lstm.headOrDefault();
      // A text dataset is [vocabulary] in, the same vocabulary out.
      boolean text = shape.size() == 1 && shape.get(0) == classes;
      // A time series is [window, columns] in, the horizon's values out.
      boolean series = shape.size() == 2;
      if ((head == LstmSpec.Head.REGRESSION && !series)
          || (head == LstmSpec.Head.LANGUAGE_MODEL && !text)) {
        out.add(
            new FieldViolation(
                path + ".head",
                head
                    + " needs a "
                    + (head == LstmSpec.Head.REGRESSION
                        ? "time-series (kind=timeseries)"
                        : "text (kind=text)")
                    + " dataset; "
                    + source
                    + " is not one"));
        return;
      }
      List<Integer> sequence =
          switch (head) {
            case LANGUAGE_MODEL -> List.of(lstm.sequenceLengthOrDefault(), shape.get(0));
            case REGRESSION -> shape;
            case CLASSIFICATION -> lstm.sequenceShape(shape);
          };
      if (sequence == null) {
        String has =
            shape.size() == 1 ? shape.get(0) + " features" : "input shape " + shape.toString();
        out.add(
            new FieldViolation(
                path + ".view",
                lstm.viewOrDefault()
                    + " reads an image [channels, height, width] as height steps of"
                    + " channels*width features; "
                    + source
                    + " has "
                    + has));
        return;
      }
      int steps = sequence.get(0);
      long in = sequence.get(1);
      int directions = lstm.bidirectionalOrDefault() ? 2 : 1;
      List<LstmSpec.LstmLayer> specLayers = lstm.layers();
      for (int i = 0; i < specLayers.size(); i++) {
        long units = specLayers.get(i).units();
        long params = directions * (4 * units * (in + units) + 4 * units);
        int width = (int) (directions * units);
        boolean last = i == specLayers.size() - 1 && head != LstmSpec.Head.LANGUAGE_MODEL;
        add(
            i,
            directions == 2 ? "bidirectional" : "lstm",
            directions == 2 ? "Bidirectional" : "LSTM",
            last ? List.of(width) : List.of(steps, width),
            params,
            0);
        in = width;
      }
      add(
          -1,
          "dense",
          "Dense",
          head == LstmSpec.Head.LANGUAGE_MODEL ? List.of(steps, classes) : List.of(classes),
          in * classes + classes,
          0);
      limit();
    }

    /** Places one layer; false when it leaves nothing, so later shapes cannot be known. */
    boolean place(int i, CnnLayer layer) {
      if (layer instanceof CnnLayer.Conv2d c) {
        int k = c.kernelSize();
        int s = c.strideOrDefault();
        List<Integer> next = window(shape, k, s, c.paddingOrDefault() == Padding.SAME, c.filters());
        if (empty(next)) {
          return nothing(i, "CONV2D " + k + "x" + k + " stride " + s, next);
        }
        add(i, "conv2d", "Conv2D", next, (long) k * k * channels() * c.filters() + c.filters(), 0);
      } else if (layer instanceof CnnLayer.Pool p) {
        int k = p.sizeOrDefault();
        int s = p.strideOrDefault();
        List<Integer> next = window(shape, k, s, p.paddingOrDefault() == Padding.SAME, channels());
        if (empty(next)) {
          return nothing(i, p.type() + " " + k + "x" + k + " stride " + s, next);
        }
        boolean max = p instanceof CnnLayer.MaxPool;
        add(
            i,
            max ? "max_pooling2d" : "average_pooling2d",
            max ? "MaxPooling2D" : "AveragePooling2D",
            next,
            0,
            0);
      } else if (layer instanceof CnnLayer.BatchNorm) {
        // Per channel on a feature map, per unit on a vector: gamma, beta, mean, variance.
        long n = shape.size() == 3 ? channels() : product(shape);
        add(i, "batch_normalization", "BatchNormalization", shape, 4 * n, 2 * n);
      } else if (layer instanceof CnnLayer.Dropout) {
        add(i, "dropout", "Dropout", shape, 0, 0);
      } else if (layer instanceof CnnLayer.Flatten) {
        long n = product(shape);
        if (n > Integer.MAX_VALUE) {
          out.add(
              new FieldViolation(
                  at(i),
                  "FLATTEN of a "
                      + describe(shape)
                      + " feature map gives "
                      + n
                      + " values; too many"));
          return false;
        }
        add(i, "flatten", "Flatten", List.of((int) n), 0, 0);
      } else if (layer instanceof CnnLayer.GlobalAvgPool) {
        add(i, "global_average_pooling2d", "GlobalAveragePooling2D", List.of(channels()), 0, 0);
      } else if (layer instanceof CnnLayer.Dense d) {
        long in = product(shape);
        add(i, "dense", "Dense", List.of(d.units()), in * d.units() + d.units(), 0);
      } else if (layer instanceof CnnLayer.Residual r) {
        residual(i, r);
      }
      return true;
    }

    private void residual(int i, CnnLayer.Residual r) {
      int k = r.kernelSizeOrDefault();
      int s = r.strideOrDefault();
      long cin = channels();
      long f = r.filters();
      long norms = r.batchNormOrDefault() ? 1 : 0;
      long params = (k * k * cin * f + f) + (k * k * f * f + f) + norms * 2 * 4 * f;
      long frozen = norms * 2 * 2 * f;
      if (cin != f || s != 1) {
        // The 1x1 projection (with its own batch norm) that lets the skip match the block.
        params += cin * f + f + norms * 4 * f;
        frozen += norms * 2 * f;
      }
      add(i, "residual", "Residual", window(shape, 1, s, true, r.filters()), params, frozen);
    }

    private boolean nothing(int i, String what, List<Integer> next) {
      List<Integer> shown = next.stream().map(d -> Math.max(0, d)).toList();
      out.add(
          new FieldViolation(
              at(i),
              what
                  + " on a "
                  + describe(shape)
                  + " feature map leaves nothing; input "
                  + describe(shape)
                  + ", output "
                  + describe(shown)
                  + " (use SAME padding, a smaller window or fewer downsampling layers)"));
      return false;
    }

    private void limit() {
      long total = layers.stream().mapToLong(LayerShape::params).sum();
      if (total > maxParams) {
        out.add(
            new FieldViolation(
                path,
                String.format(
                    "has %,d parameters on this input; at most %,d are allowed"
                        + " (deeptrain.specs.max-parameters; pool more, or use GLOBAL_AVG_POOL or"
                        + " fewer units)",
                    total, maxParams)));
      }
    }

    private void add(
        int index, String name, String kind, List<Integer> next, long params, long nonTrainable) {
      int n = counters.merge(name, 1, Integer::sum) - 1;
      layers.add(
          new LayerShape(
              index,
              n == 0 ? name : name + "_" + n,
              kind,
              List.copyOf(next),
              params,
              nonTrainable));
      shape = next;
    }

    private String at(int i) {
      return path + ".layers[" + i + "]";
    }

    private int channels() {
      return shape.get(0);
    }

    private static List<Integer> window(
        List<Integer> in, int k, int s, boolean same, int channels) {
      return List.of(channels, size(in.get(1), k, s, same), size(in.get(2), k, s, same));
    }

    private static int size(int in, int k, int s, boolean same) {
      return same ? (in + s - 1) / s : Math.floorDiv(in - k, s) + 1;
    }

    private static boolean empty(List<Integer> shape) {
      return shape.get(1) < 1 || shape.get(2) < 1;
    }

    private static long product(List<Integer> shape) {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }
  }
}
