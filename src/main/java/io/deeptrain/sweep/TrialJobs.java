package io.deeptrain.sweep;

import io.deeptrain.job.JobService;
import io.deeptrain.job.SubmitJobRequest;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns trials into job requests by editing the base request's JSON and binding the result, so any
 * field can be a parameter and a trial is judged by the job feature's own rules. Errors are renamed
 * to the parameter value that caused them ({@code parameters['training.learningRate'].values[2]})
 * or to the base job's field ({@code base.spec.layers[0].units}).
 */
@Component
class TrialJobs {

  static final int MAX_REPORTED = 20;

  private final JsonMapper json;
  private final JobService jobs;

  TrialJobs(JsonMapper json, JobService jobs) {
    this.json = json;
    this.jobs = jobs;
  }

  /** A checked child request per trial, or the 400/422 naming every distinct problem. */
  List<ObjectNode> build(SweepPlan plan, SubmitJobRequest base) {
    ObjectNode baseTree = json.valueToTree(base);
    Set<FieldViolation> invalid = new LinkedHashSet<>();
    Set<FieldViolation> misfit = new LinkedHashSet<>();
    List<ObjectNode> out = new ArrayList<>();
    for (TrialPlan trial : plan.trials()) {
      ObjectNode tree = baseTree.deepCopy();
      if (!plan.parameters().containsKey("name")) {
        tree.put("name", plan.name() + "-" + trial.number());
      }
      boolean applied = true;
      for (Map.Entry<String, TrialPlan.Choice> c : trial.choices().entrySet()) {
        try {
          ParameterPath.parse(c.getKey()).set(tree, c.getValue().value());
        } catch (IllegalArgumentException e) {
          invalid.add(new FieldViolation("parameters['" + c.getKey() + "']", e.getMessage()));
          applied = false;
        }
      }
      out.add(tree);
      if (!applied) {
        continue;
      }
      SubmitJobRequest request;
      try {
        request = json.treeToValue(tree, SubmitJobRequest.class);
      } catch (JacksonException e) {
        invalid.add(rename(trial, bindingViolation(e), e instanceof UnrecognizedPropertyException));
        continue;
      }
      try {
        jobs.validate(request);
      } catch (ApiException e) {
        Set<FieldViolation> into =
            e.problem() == ApiException.Problem.SPEC_DOES_NOT_FIT ? misfit : invalid;
        e.violations().forEach(v -> into.add(rename(trial, v, false)));
      }
    }
    if (!invalid.isEmpty()) {
      throw ApiException.invalid(invalid.stream().limit(MAX_REPORTED).toList());
    }
    if (!misfit.isEmpty()) {
      throw ApiException.doesNotFit(misfit.stream().limit(MAX_REPORTED).toList());
    }
    return out;
  }

  /** Binds a stored child request (already checked when the sweep was accepted). */
  SubmitJobRequest bind(String requestJson) {
    return json.readValue(requestJson, SubmitJobRequest.class);
  }

  /**
   * @param pathProblem the path itself names nothing, whatever the value
   */
  private static FieldViolation rename(TrialPlan trial, FieldViolation v, boolean pathProblem) {
    for (Map.Entry<String, TrialPlan.Choice> c : trial.choices().entrySet()) {
      ParameterPath path = ParameterPath.parse(c.getKey());
      if (path.covers(v.field())) {
        TrialPlan.Choice choice = c.getValue();
        String at = "parameters['" + c.getKey() + "']";
        if (pathProblem) {
          return new FieldViolation(at, v.message());
        }
        if (choice.valueIndex() != null) {
          return new FieldViolation(at + ".values[" + choice.valueIndex() + "]", v.message());
        }
        return new FieldViolation(
            at,
            v.message() + " (drawn value " + choice.value() + " in trial " + trial.number() + ")");
      }
    }
    return new FieldViolation("$".equals(v.field()) ? "base" : "base." + v.field(), v.message());
  }

  private static FieldViolation bindingViolation(JacksonException e) {
    String field = path(e);
    if (e instanceof UnrecognizedPropertyException u) {
      return new FieldViolation(
          field,
          "is not a known field; known fields: "
              + u.getKnownPropertyIds().stream()
                  .map(String::valueOf)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    if (e instanceof InvalidFormatException f
        && f.getTargetType() != null
        && f.getTargetType().isEnum()) {
      return new FieldViolation(
          field,
          "unknown value '"
              + f.getValue()
              + "'; allowed: "
              + Arrays.stream(f.getTargetType().getEnumConstants())
                  .map(c -> ((Enum<?>) c).name())
                  .collect(Collectors.joining(", ")));
    }
    return new FieldViolation(field, "cannot be read: " + e.getOriginalMessage());
  }

  private static String path(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "$" : sb.toString();
  }
}
