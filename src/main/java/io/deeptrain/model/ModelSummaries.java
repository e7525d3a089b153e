package io.deeptrain.model;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetInfo;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.spec.SpecValidator;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** Summaries of specs before training and of registered models; nothing is built or trained. */
@Service
class ModelSummaries {

  static final int MAX_DIMENSION = 65536;
  static final int MAX_CLASSES = 65536;

  private final SpecValidator validator;
  private final SpecGeometry geometry;
  private final DatasetCatalog datasets;
  private final ModelRegistry registry;

  ModelSummaries(
      SpecValidator validator,
      SpecGeometry geometry,
      DatasetCatalog datasets,
      ModelRegistry registry) {
    this.validator = validator;
    this.geometry = geometry;
    this.datasets = datasets;
    this.registry = registry;
  }

  /**
   * @throws ApiException invalid (400) for a bad spec or input, doesNotFit (422) when the spec
   *     cannot run on that input
   */
  ModelSummary of(SummaryRequest request) {
    if (request == null) {
      throw ApiException.invalid("$", "request body is required");
    }
    List<FieldViolation> violations = new ArrayList<>(validator.validate(request.spec(), "spec"));
    DatasetInfo dataset = null;
    if (request.dataset() != null) {
      if (request.inputShape() != null || request.classes() != null) {
        violations.add(
            new FieldViolation("dataset", "give either a dataset or inputShape and classes"));
      }
      dataset = datasets.find(request.dataset()).orElse(null);
      if (dataset == null) {
        violations.add(
            new FieldViolation(
                "dataset",
                "unknown dataset '" + request.dataset() + "'; available: " + available()));
      }
    } else {
      inputShape(request.inputShape(), violations);
      if (request.classes() == null) {
        violations.add(
            new FieldViolation(
                "classes",
                "is required without a dataset: an integer between 2 and " + MAX_CLASSES));
      } else if (request.classes() < 2 || request.classes() > MAX_CLASSES) {
        violations.add(
            new FieldViolation(
                "classes", "must be between 2 and " + MAX_CLASSES + ", got " + request.classes()));
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    return dataset == null
        ? summarise(request.spec(), null, request.inputShape(), request.classes())
        : summarise(request.spec(), dataset.name(), dataset.inputShape(), dataset.classes().size());
  }

  /** The summary of a registered model: its spec on the input it was trained on. */
  ModelSummary of(UUID modelId) {
    ModelVersion model = registry.get(modelId);
    if (model.spec() == null) {
      throw ApiException.wrongState(
          "model %s (%s v%d) was uploaded (%s): it has no spec to summarise; its card (/card)"
                  .formatted(modelId, model.name(), model.version(), model.source())
              + " gives its parameter count");
    }
    return summarise(model.spec(), model.dataset(), model.inputShape(), model.labels().size());
  }

  private ModelSummary summarise(
      ModelSpec spec, String dataset, List<Integer> inputShape, int classes) {
    SpecGeometry.Plan plan = geometry.plan(spec, dataset, inputShape, classes, "spec");
    if (!plan.fits()) {
      throw ApiException.doesNotFit(plan.violations());
    }
    return ModelSummary.from(plan);
  }

  private static void inputShape(List<Integer> shape, List<FieldViolation> violations) {
    if (shape == null || shape.isEmpty()) {
      violations.add(
          new FieldViolation(
              "inputShape",
              "is required without a dataset: [features] or [channels, height, width]"));
      return;
    }
    if (shape.size() != 1 && shape.size() != 3) {
      violations.add(
          new FieldViolation(
              "inputShape",
              "must be [features] or [channels, height, width], got " + shape.size() + " values"));
    }
    for (int i = 0; i < shape.size(); i++) {
      Integer d = shape.get(i);
      if (d == null || d < 1 || d > MAX_DIMENSION) {
        violations.add(
            new FieldViolation(
                "inputShape[" + i + "]", "must be between 1 and " + MAX_DIMENSION + ", got " + d));
      }
    }
  }

  private String available() {
    return datasets.list().stream()
        .map(DatasetInfo::name)
        .sorted()
        .collect(Collectors.joining(", "));
  }
}
