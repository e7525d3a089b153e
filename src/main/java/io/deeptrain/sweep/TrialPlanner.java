package io.deeptrain.sweep;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Checks a sweep's own fields and expands it into trials: every combination for GRID (the first
 * parameter varies slowest), seeded draws for RANDOM. Whether each trial is a valid job is the job
 * feature's call, made afterwards.
 */
final class TrialPlanner {

  static final int MAX_TRIALS = 256;
  static final int MAX_PARAMETERS = 16;
  static final int MAX_PARALLEL = 64;
  static final int MAX_NAME_LENGTH = 200;

  private TrialPlanner() {}

  /**
   * @param fallbackSeed the seed when the request has none (drawn by the caller, so that it is
   *     stored and the sweep can be replayed)
   */
  static SweepPlan plan(SweepRequest request, long fallbackSeed) {
    if (request == null) {
      throw ApiException.invalid("$", "request body is required");
    }
    List<FieldViolation> violations = new ArrayList<>();
    if (request.base() == null) {
      violations.add(
          new FieldViolation(
              "base", "is required: a job as for POST /api/v1/jobs {dataset, spec, training}"));
    }
    String name = request.name();
    if (name == null && request.base() != null) {
      name =
          request.base().name() != null
              ? request.base().name()
              : "sweep-" + String.valueOf(request.base().dataset()).toLowerCase(Locale.ROOT);
    }
    if (request.name() != null
        && (request.name().isBlank() || request.name().length() > MAX_NAME_LENGTH)) {
      violations.add(new FieldViolation("name", "must be 1 to " + MAX_NAME_LENGTH + " characters"));
    }
    SweepRequest.Search search =
        request.search() == null ? SweepRequest.Search.GRID : request.search();
    Map<String, SweepParameter> parameters =
        request.parameters() == null ? Map.of() : request.parameters();
    if (parameters.isEmpty() || parameters.size() > MAX_PARAMETERS) {
      violations.add(
          new FieldViolation(
              "parameters",
              "must name 1 to "
                  + MAX_PARAMETERS
                  + " parameters by path, e.g. {\"training.learningRate\": {\"values\":"
                  + " [0.001, 0.01]}}"));
    }
    parameters.forEach((path, p) -> checkParameter(path, p, search, violations));

    int trials = 0;
    if (search == SweepRequest.Search.GRID) {
      if (request.trials() != null) {
        violations.add(
            new FieldViolation(
                "trials", "is only for RANDOM search; a GRID has one trial per combination"));
      }
      long combinations = 1;
      for (SweepParameter p : parameters.values()) {
        combinations *= p == null || p.values() == null ? 1 : Math.max(1, p.values().size());
        combinations = Math.min(combinations, Integer.MAX_VALUE);
      }
      if (combinations > MAX_TRIALS) {
        violations.add(
            new FieldViolation(
                "parameters",
                "the grid has "
                    + combinations
                    + " combinations; at most "
                    + MAX_TRIALS
                    + " trials are allowed (use fewer values or RANDOM search)"));
      }
      trials = (int) combinations;
    } else if (request.trials() == null || request.trials() < 1 || request.trials() > MAX_TRIALS) {
      violations.add(
          new FieldViolation(
              "trials",
              "is required for RANDOM search: 1 to "
                  + MAX_TRIALS
                  + (request.trials() == null ? "" : ", got " + request.trials())));
    } else {
      trials = request.trials();
    }
    int maxParallel = request.maxParallel() == null ? 1 : request.maxParallel();
    if (maxParallel < 1 || maxParallel > MAX_PARALLEL) {
      violations.add(
          new FieldViolation(
              "maxParallel", "must be between 1 and " + MAX_PARALLEL + ", got " + maxParallel));
    }
    Objective objective = resolve(request.objective(), violations);
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    long seed = request.seed() == null ? fallbackSeed : request.seed();
    List<TrialPlan> planned =
        search == SweepRequest.Search.GRID
            ? grid(parameters, trials)
            : random(parameters, trials, seed);
    return new SweepPlan(
        name.strip(), search, maxParallel, objective, seed, Map.copyOf(parameters), planned);
  }

  private static void checkParameter(
      String path, SweepParameter p, SweepRequest.Search search, List<FieldViolation> out) {
    String at = "parameters['" + path + "']";
    try {
      ParameterPath.parse(path);
    } catch (IllegalArgumentException e) {
      out.add(new FieldViolation(at, e.getMessage()));
    }
    if (p == null) {
      out.add(new FieldViolation(at, "must be {\"values\": [...]} or {\"min\": .., \"max\": ..}"));
      return;
    }
    if (p.values() != null && p.ranged()) {
      out.add(new FieldViolation(at, "give either values or min/max, not both"));
    } else if (p.values() != null) {
      if (p.values().isEmpty() || p.values().size() > MAX_TRIALS) {
        out.add(new FieldViolation(at + ".values", "must hold 1 to " + MAX_TRIALS + " values"));
      }
      if (p.scale() != null) {
        out.add(new FieldViolation(at + ".scale", "is only for a min/max range"));
      }
    } else if (!p.ranged()) {
      out.add(new FieldViolation(at, "needs values, or min and max (RANDOM search)"));
    } else if (search == SweepRequest.Search.GRID) {
      out.add(
          new FieldViolation(
              at, "a min/max range needs RANDOM search; list the values to try for GRID"));
    } else if (p.min() == null || p.max() == null) {
      out.add(new FieldViolation(at, "a range needs both min and max"));
    } else if (!Double.isFinite(p.min().doubleValue()) || !Double.isFinite(p.max().doubleValue())) {
      out.add(new FieldViolation(at, "min and max must be finite numbers"));
    } else if (p.min().doubleValue() > p.max().doubleValue()) {
      out.add(new FieldViolation(at + ".max", "must be >= min (" + p.min() + "), got " + p.max()));
    } else if (p.scale() == SweepParameter.Scale.LOG && p.min().doubleValue() <= 0) {
      out.add(new FieldViolation(at + ".min", "must be > 0 for a LOG scale, got " + p.min()));
    }
  }

  private static Objective resolve(Objective objective, List<FieldViolation> out) {
    String metric =
        objective == null || objective.metric() == null
            ? Objective.DEFAULT_METRIC
            : objective.metric().strip();
    if (metric.isEmpty() || metric.length() > 100) {
      out.add(
          new FieldViolation("objective.metric", "must be a metric name such as test_accuracy"));
    }
    Objective.Mode mode =
        objective != null && objective.mode() != null
            ? objective.mode()
            : metric.endsWith("loss") ? Objective.Mode.MIN : Objective.Mode.MAX;
    return new Objective(metric, mode);
  }

  private static List<TrialPlan> grid(Map<String, SweepParameter> parameters, int trials) {
    List<String> paths = List.copyOf(parameters.keySet());
    List<TrialPlan> out = new ArrayList<>(trials);
    for (int t = 0; t < trials; t++) {
      // Mixed-radix digits of t, the last parameter the fastest.
      Map<String, TrialPlan.Choice> choices = new LinkedHashMap<>();
      int rest = t;
      int[] index = new int[paths.size()];
      for (int i = paths.size() - 1; i >= 0; i--) {
        int size = parameters.get(paths.get(i)).values().size();
        index[i] = rest % size;
        rest /= size;
      }
      for (int i = 0; i < paths.size(); i++) {
        List<JsonNode> values = parameters.get(paths.get(i)).values();
        choices.put(paths.get(i), new TrialPlan.Choice(values.get(index[i]), index[i]));
      }
      out.add(new TrialPlan(t + 1, choices));
    }
    return out;
  }

  private static List<TrialPlan> random(
      Map<String, SweepParameter> parameters, int trials, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<TrialPlan> out = new ArrayList<>(trials);
    for (int t = 0; t < trials; t++) {
      Map<String, TrialPlan.Choice> choices = new LinkedHashMap<>();
      parameters.forEach(
          (path, p) -> {
            if (p.values() != null) {
              int i = rng.nextInt(p.values().size());
              choices.put(path, new TrialPlan.Choice(p.values().get(i), i));
            } else {
              choices.put(path, new TrialPlan.Choice(draw(p, rng), null));
            }
          });
      out.add(new TrialPlan(t + 1, choices));
    }
    return out;
  }

  /** A value in [min, max]; integers when both bounds are written as integers. */
  static JsonNode draw(SweepParameter p, SplittableRandom rng) {
    boolean log = p.scale() == SweepParameter.Scale.LOG;
    double u = rng.nextDouble();
    if (isInteger(p.min()) && isInteger(p.max())) {
      long lo = p.min().longValue();
      long hi = p.max().longValue();
      long v;
      if (log) {
        // Uniform in log space over [lo, hi + 1), floored, so hi is as likely as its neighbours.
        v = (long) Math.floor(Math.exp(Math.log(lo) + u * (Math.log(hi + 1.0) - Math.log(lo))));
      } else {
        v = lo + (long) Math.floor(u * (hi - lo + 1.0));
      }
      return JsonNodeFactory.instance.numberNode(Math.max(lo, Math.min(hi, v)));
    }
    double lo = p.min().doubleValue();
    double hi = p.max().doubleValue();
    double v =
        log ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
    return JsonNodeFactory.instance.numberNode(Math.max(lo, Math.min(hi, v)));
  }

  private static boolean isInteger(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof BigInteger;
  }
}
