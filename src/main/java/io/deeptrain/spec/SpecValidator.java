package io.deeptrain.spec;

import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Checks a model spec and a training spec field by field, naming each problem by its JSON path and
 * saying what is allowed. Enum values and types are already checked by JSON binding.
 */
@Component
public class SpecValidator {

  public static final int MAX_LAYERS = 64;
  public static final int MAX_CNN_LAYERS = 128;
  public static final int MAX_FILTERS = 4096;
  public static final int MAX_KERNEL = 31;
  public static final int MAX_STRIDE = 16;
  public static final int MAX_POOL = 16;
  public static final int MAX_UNITS = 65536;
  public static final int MAX_EPOCHS = 10000;
  public static final int MAX_BATCH = 65536;
  public static final int MAX_SCHEDULE_UNITS = 1_000_000;
  public static final int MAX_LSTM_LAYERS = 16;
  public static final int MAX_LSTM_UNITS = 4096;
  public static final int MAX_TBPTT = 10_000;

  public List<FieldViolation> validate(ModelSpec spec, String path) {
    List<FieldViolation> out = new ArrayList<>();
    if (spec == null) {
      out.add(
          new FieldViolation(
              path,
              "is required; allowed types: "
                  + MlpSpec.TYPE
                  + ", "
                  + CnnSpec.TYPE
                  + ", "
                  + LstmSpec.TYPE
                  + ", "
                  + VaeSpec.TYPE
                  + ", "
                  + GanSpec.TYPE
                  + ", "
                  + DiffusionSpec.TYPE));
      return out;
    }
    if (spec instanceof MlpSpec mlp) {
      validateMlp(mlp, path, out);
    } else if (spec instanceof CnnSpec cnn) {
      validateCnn(cnn, path, out);
    } else if (spec instanceof LstmSpec lstm) {
      validateLstm(lstm, path, out);
    } else if (spec instanceof VaeSpec vae) {
      vae.validate(path, out);
    } else if (spec instanceof GanSpec gan) {
      gan.validate(path, out);
    } else if (spec instanceof DiffusionSpec diffusion) {
      diffusion.validate(path, out);
    }
    return out;
  }

  private void validateLstm(LstmSpec lstm, String path, List<FieldViolation> out) {
    List<LstmSpec.LstmLayer> layers = lstm.layers();
    if (layers == null || layers.isEmpty()) {
      out.add(
          new FieldViolation(
              path + ".layers",
              "is required: 1 to " + MAX_LSTM_LAYERS + " layers such as {\"units\":128}"));
    } else if (layers.size() > MAX_LSTM_LAYERS) {
      out.add(
          new FieldViolation(
              path + ".layers",
              "has " + layers.size() + " layers; at most " + MAX_LSTM_LAYERS + " are allowed"));
    } else {
      for (int i = 0; i < layers.size(); i++) {
        String at = path + ".layers[" + i + "]";
        if (layers.get(i) == null) {
          out.add(new FieldViolation(at, "must be an object such as {\"units\":128}"));
        } else {
          required(out, at + ".units", layers.get(i).units(), 1, MAX_LSTM_UNITS);
        }
      }
    }
    if (lstm.dropout() != null) {
      halfOpen(out, path + ".dropout", lstm.dropout(), 0, 1);
    }
    if (lstm.sequenceLength() != null) {
      if (lstm.headOrDefault() != LstmSpec.Head.LANGUAGE_MODEL) {
        out.add(
            new FieldViolation(
                path + ".sequenceLength",
                "applies to the LANGUAGE_MODEL head only, not " + lstm.headOrDefault()));
      } else {
        range(out, path + ".sequenceLength", lstm.sequenceLength(), 2, MAX_TBPTT);
      }
    }
    if (lstm.tbpttLength() != null) {
      if (lstm.headOrDefault() != LstmSpec.Head.LANGUAGE_MODEL) {
        // With one label per sequence DL4J cannot cut the sequence; it would silently ignore it.
        out.add(
            new FieldViolation(
                path + ".tbpttLength",
                "applies to the LANGUAGE_MODEL head only (one label per step), not "
                    + lstm.headOrDefault()));
      } else {
        range(out, path + ".tbpttLength", lstm.tbpttLength(), 1, MAX_TBPTT);
      }
    }
  }

  private void validateCnn(CnnSpec cnn, String path, List<FieldViolation> out) {
    List<CnnLayer> layers = cnn.layers();
    if (layers == null || layers.isEmpty()) {
      out.add(
          new FieldViolation(
              path + ".layers",
              "is required: 1 to "
                  + MAX_CNN_LAYERS
                  + " layers such as {\"type\":\"CONV2D\",\"filters\":32,\"kernelSize\":3}"));
      return;
    }
    if (layers.size() > MAX_CNN_LAYERS) {
      out.add(
          new FieldViolation(
              path + ".layers",
              "has " + layers.size() + " layers; at most " + MAX_CNN_LAYERS + " are allowed"));
      return;
    }
    // Where the feature map became a vector: spatial layers may not follow, DENSE must.
    int flattenedAt = -1;
    for (int i = 0; i < layers.size(); i++) {
      String at = path + ".layers[" + i + "]";
      CnnLayer layer = layers.get(i);
      if (layer == null) {
        out.add(
            new FieldViolation(
                at,
                "must be an object such as {\"type\":\"CONV2D\",\"filters\":32,\"kernelSize\":3}"));
        continue;
      }
      if (layer instanceof CnnLayer.Conv2d c) {
        required(out, at + ".filters", c.filters(), 1, MAX_FILTERS);
        required(out, at + ".kernelSize", c.kernelSize(), 1, MAX_KERNEL);
        optional(out, at + ".stride", c.stride(), 1, MAX_STRIDE);
      } else if (layer instanceof CnnLayer.Pool p) {
        optional(out, at + ".size", p.size(), 1, MAX_POOL);
        optional(out, at + ".stride", p.stride(), 1, MAX_STRIDE);
      } else if (layer instanceof CnnLayer.Dropout d) {
        if (d.rate() == null) {
          out.add(new FieldViolation(at + ".rate", "is required: a number >= 0 and < 1"));
        } else {
          halfOpen(out, at + ".rate", d.rate(), 0, 1);
        }
      } else if (layer instanceof CnnLayer.Dense d) {
        required(out, at + ".units", d.units(), 1, MAX_UNITS);
      } else if (layer instanceof CnnLayer.Residual r) {
        required(out, at + ".filters", r.filters(), 1, MAX_FILTERS);
        optional(out, at + ".kernelSize", r.kernelSize(), 1, MAX_KERNEL);
        optional(out, at + ".stride", r.stride(), 1, MAX_STRIDE);
      }
      boolean spatial =
          layer instanceof CnnLayer.Conv2d
              || layer instanceof CnnLayer.Pool
              || layer instanceof CnnLayer.Residual
              || layer instanceof CnnLayer.GlobalAvgPool
              || layer instanceof CnnLayer.Flatten;
      if (spatial && flattenedAt >= 0) {
        out.add(
            new FieldViolation(
                at,
                layer.type()
                    + " needs a feature map, but "
                    + path
                    + ".layers["
                    + flattenedAt
                    + "] "
                    + layers.get(flattenedAt).type()
                    + " already made it a vector; move it before that layer"));
      } else if (layer instanceof CnnLayer.Dense && flattenedAt < 0) {
        out.add(
            new FieldViolation(
                at, "DENSE needs a vector; put a FLATTEN or GLOBAL_AVG_POOL layer before it"));
      }
      if (flattenedAt < 0
          && (layer instanceof CnnLayer.Flatten
              || layer instanceof CnnLayer.GlobalAvgPool
              || layer instanceof CnnLayer.Dense)) {
        flattenedAt = i;
      }
    }
  }

  private void validateMlp(MlpSpec mlp, String path, List<FieldViolation> out) {
    List<DenseLayerSpec> layers = mlp.layers();
    if (layers == null || layers.isEmpty()) {
      out.add(
          new FieldViolation(
              path + ".layers",
              "is required: 1 to "
                  + MAX_LAYERS
                  + " hidden layers such as {\"units\":16,\"activation\":\"RELU\"}"));
    } else if (layers.size() > MAX_LAYERS) {
      out.add(
          new FieldViolation(
              path + ".layers",
              "has " + layers.size() + " layers; at most " + MAX_LAYERS + " are allowed"));
    } else {
      for (int i = 0; i < layers.size(); i++) {
        String at = path + ".layers[" + i + "]";
        DenseLayerSpec layer = layers.get(i);
        if (layer == null) {
          out.add(
              new FieldViolation(
                  at, "must be an object such as {\"units\":16,\"activation\":\"RELU\"}"));
        } else if (layer.units() == null) {
          out.add(
              new FieldViolation(
                  at + ".units", "is required: an integer between 1 and " + MAX_UNITS));
        } else {
          range(out, at + ".units", layer.units(), 1, MAX_UNITS);
        }
      }
    }
    if (mlp.dropout() != null) {
      halfOpen(out, path + ".dropout", mlp.dropout(), 0, 1);
    }
  }

  public List<FieldViolation> validate(TrainingSpec t, String path) {
    List<FieldViolation> out = new ArrayList<>();
    if (t == null) {
      return out;
    }
    if (t.epochs() != null) {
      range(out, path + ".epochs", t.epochs(), 1, MAX_EPOCHS);
    }
    if (t.batchSize() != null) {
      range(out, path + ".batchSize", t.batchSize(), 1, MAX_BATCH);
    }
    if (t.learningRate() != null && !(t.learningRate() > 0 && t.learningRate() <= 10)) {
      out.add(
          new FieldViolation(
              path + ".learningRate", "must be > 0 and <= 10, got " + t.learningRate()));
    }
    if (t.momentum() != null) {
      halfOpen(out, path + ".momentum", t.momentum(), 0, 1);
    }
    if (t.beta1() != null) {
      halfOpen(out, path + ".beta1", t.beta1(), 0, 1);
    }
    if (t.beta2() != null) {
      halfOpen(out, path + ".beta2", t.beta2(), 0, 1);
    }
    if (t.rho() != null) {
      halfOpen(out, path + ".rho", t.rho(), 0, 1);
    }
    if (t.epsilon() != null && !(t.epsilon() > 0 && t.epsilon() <= 1)) {
      out.add(new FieldViolation(path + ".epsilon", "must be > 0 and <= 1, got " + t.epsilon()));
    }
    if (t.l1() != null && !(t.l1() >= 0 && t.l1() <= 10)) {
      out.add(new FieldViolation(path + ".l1", "must be between 0 and 10, got " + t.l1()));
    }
    if (t.l2() != null && !(t.l2() >= 0 && t.l2() <= 10)) {
      out.add(new FieldViolation(path + ".l2", "must be between 0 and 10, got " + t.l2()));
    }
    if (t.testFraction() != null && !(t.testFraction() > 0 && t.testFraction() <= 0.9)) {
      out.add(
          new FieldViolation(
              path + ".testFraction", "must be > 0 and <= 0.9, got " + t.testFraction()));
    }
    if (t.maxTrainExamples() != null && t.maxTrainExamples() < 1) {
      out.add(
          new FieldViolation(
              path + ".maxTrainExamples",
              "must be at least 1 (unset: all), got " + t.maxTrainExamples()));
    }
    if (t.maxTestExamples() != null && t.maxTestExamples() < 1) {
      out.add(
          new FieldViolation(
              path + ".maxTestExamples",
              "must be at least 1 (unset: all), got " + t.maxTestExamples()));
    }
    if (t.weightDecay() != null) {
      if (!(t.weightDecay() >= 0 && t.weightDecay() <= 1)) {
        out.add(
            new FieldViolation(
                path + ".weightDecay", "must be between 0 and 1, got " + t.weightDecay()));
      } else if (t.weightDecay() > 0 && t.l2() != null && t.l2() > 0) {
        // DL4J keeps only the last of the two; refuse rather than silently drop one.
        out.add(
            new FieldViolation(
                path + ".weightDecay", "cannot be combined with l2; set one of them to 0"));
      }
    }
    validateSchedule(t, path + ".schedule", out);
    validateClipping(t.gradientClipping(), path + ".gradientClipping", out);
    validateEarlyStopping(t.earlyStopping(), path + ".earlyStopping", out);
    return out;
  }

  private static void validateSchedule(TrainingSpec t, String path, List<FieldViolation> out) {
    ScheduleSpec s = t.schedule();
    if (s == null) {
      return;
    }
    if (s.type() == null) {
      out.add(
          new FieldViolation(
              path + ".type",
              "is required; allowed: " + Arrays.toString(ScheduleSpec.Type.values())));
      return;
    }
    if (t.optimizer() == Optimizer.ADADELTA) {
      out.add(
          new FieldViolation(
              path, "ADADELTA has no learning rate to schedule; remove the schedule"));
    }
    ScheduleSpec.Type type = s.type();
    onlyFor(out, path + ".c", s.c(), type, ScheduleSpec.Type.INVERSE);
    onlyFor(out, path + ".every", s.every(), type, ScheduleSpec.Type.STEP);
    onlyFor(
        out,
        path + ".gamma",
        s.gamma(),
        type,
        ScheduleSpec.Type.STEP,
        ScheduleSpec.Type.EXPONENTIAL);
    onlyFor(out, path + ".min", s.min(), type, ScheduleSpec.Type.COSINE);
    if (s.c() != null && type == ScheduleSpec.Type.INVERSE && !(s.c() > 0 && s.c() <= 10)) {
      out.add(new FieldViolation(path + ".c", "must be > 0 and <= 10, got " + s.c()));
    }
    if (s.every() != null && type == ScheduleSpec.Type.STEP) {
      range(out, path + ".every", s.every(), 1, MAX_SCHEDULE_UNITS);
    }
    if (s.gamma() != null && !(s.gamma() > 0 && s.gamma() <= 1)) {
      out.add(new FieldViolation(path + ".gamma", "must be > 0 and <= 1, got " + s.gamma()));
    }
    double lr = t.learningRate() == null ? TrainingSpec.DEFAULT_LEARNING_RATE : t.learningRate();
    if (s.min() != null && type == ScheduleSpec.Type.COSINE && !(s.min() >= 0 && s.min() < lr)) {
      out.add(
          new FieldViolation(
              path + ".min", "must be >= 0 and < the learning rate (" + lr + "), got " + s.min()));
    }
    if (s.warmup() != null) {
      range(out, path + ".warmup", s.warmup(), 0, MAX_SCHEDULE_UNITS);
    }
  }

  private static void onlyFor(
      List<FieldViolation> out,
      String field,
      Object value,
      ScheduleSpec.Type type,
      ScheduleSpec.Type... allowed) {
    if (value != null && !Arrays.asList(allowed).contains(type)) {
      out.add(
          new FieldViolation(
              field,
              "applies to "
                  + String.join(" and ", Arrays.stream(allowed).map(Enum::name).toList())
                  + " schedules only, not "
                  + type));
    }
  }

  private static void validateClipping(GradientClipping c, String path, List<FieldViolation> out) {
    if (c == null) {
      return;
    }
    if (c.type() == null) {
      out.add(
          new FieldViolation(
              path + ".type",
              "is required; allowed: " + Arrays.toString(GradientClipping.Type.values())));
    }
    if (c.threshold() != null && !(c.threshold() > 0 && c.threshold() <= 1e6)) {
      out.add(
          new FieldViolation(
              path + ".threshold", "must be > 0 and <= 1000000, got " + c.threshold()));
    }
  }

  private static void validateEarlyStopping(
      EarlyStoppingSpec e, String path, List<FieldViolation> out) {
    if (e == null) {
      return;
    }
    if (e.metric() != null && !EarlyStoppingSpec.METRICS.contains(e.metric())) {
      out.add(
          new FieldViolation(
              path + ".metric",
              "unknown value '"
                  + e.metric()
                  + "'; allowed: "
                  + String.join(", ", EarlyStoppingSpec.METRICS)));
    }
    if (e.patience() != null) {
      range(out, path + ".patience", e.patience(), 1, MAX_EPOCHS);
    }
    if (e.minDelta() != null && !(e.minDelta() >= 0 && e.minDelta() <= 1e6)) {
      out.add(
          new FieldViolation(
              path + ".minDelta", "must be >= 0 and <= 1000000, got " + e.minDelta()));
    }
  }

  private static void required(
      List<FieldViolation> out, String field, Integer value, int min, int max) {
    if (value == null) {
      out.add(new FieldViolation(field, "is required: an integer between " + min + " and " + max));
    } else {
      range(out, field, value, min, max);
    }
  }

  private static void optional(
      List<FieldViolation> out, String field, Integer value, int min, int max) {
    if (value != null) {
      range(out, field, value, min, max);
    }
  }

  private static void range(List<FieldViolation> out, String field, int value, int min, int max) {
    if (value < min || value > max) {
      out.add(
          new FieldViolation(field, "must be between " + min + " and " + max + ", got " + value));
    }
  }

  private static void halfOpen(
      List<FieldViolation> out, String field, double value, double min, double max) {
    if (!(value >= min && value < max)) {
      out.add(
          new FieldViolation(
              field, "must be >= " + num(min) + " and < " + num(max) + ", got " + value));
    }
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
