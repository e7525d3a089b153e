package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.dataset.Standardization;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.stereotype.Service;

/** Classifies raw feature rows with a registered model, applying its training normalisation. */
@Service
class Classifier {

  private final ModelCache cache;
  private final InferenceProperties props;
  private final ComputeBackend compute;

  Classifier(ModelCache cache, InferenceProperties props, ComputeBackend compute) {
    this.cache = cache;
    this.props = props;
    this.compute = compute;
  }

  ClassifyResponse classify(UUID modelId, ClassifyRequest request) {
    LoadedModel model = cache.get(modelId);
    ModelVersion version = model.version();
    int features = version.inputShape().stream().reduce(1, (a, b) -> a * b);
    double[][] rows = validate(request, features);
    Standardization norm = version.normalization();
    if (norm != null) {
      for (double[] row : rows) {
        norm.apply(row);
      }
    }
    List<String> labels = version.labels();
    List<ClassifyResponse.Prediction> predictions = new ArrayList<>(rows.length);
    // Request threads are not made by the compute backend: give this one its thread budget.
    compute.applyThreadsToCurrentThread();
    try (INDArray input =
            Nd4j.createFromArray(rows).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray output = model.output(input)) {
      double[][] probs = output.toDoubleMatrix();
      for (double[] p : probs) {
        int best = 0;
        Map<String, Double> all = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
          all.put(labels.get(c), p[c]);
          if (p[c] > p[best]) {
            best = c;
          }
        }
        predictions.add(new ClassifyResponse.Prediction(labels.get(best), p[best], all));
      }
    }
    return new ClassifyResponse(modelId, predictions);
  }

  private double[][] validate(ClassifyRequest request, int features) {
    if (request == null || request.instances() == null || request.instances().isEmpty()) {
      throw ApiException.invalid(
          "instances",
          "is required: an array of 1 to "
              + props.maxInstances()
              + " rows of "
              + features
              + " numbers");
    }
    if (request.instances().size() > props.maxInstances()) {
      throw ApiException.invalid(
          "instances",
          "has "
              + request.instances().size()
              + " rows; at most "
              + props.maxInstances()
              + " per request");
    }
    List<FieldViolation> violations = new ArrayList<>();
    double[][] rows = new double[request.instances().size()][];
    for (int i = 0; i < rows.length; i++) {
      List<Double> row = request.instances().get(i);
      String at = "instances[" + i + "]";
      if (row == null || row.size() != features) {
        violations.add(
            new FieldViolation(
                at, "must have " + features + " features, got " + (row == null ? 0 : row.size())));
        continue;
      }
      rows[i] = new double[features];
      for (int j = 0; j < features; j++) {
        Double v = row.get(j);
        if (v == null || !Double.isFinite(v)) {
          violations.add(
              new FieldViolation(at + "[" + j + "]", "must be a finite number, got " + v));
        } else {
          rows[i][j] = v;
        }
      }
      if (violations.size() >= 20) {
        break;
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    return rows;
  }
}
