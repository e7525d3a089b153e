package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.dataset.Standardization;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.stereotype.Service;

/** Forecasts the next values of a time series with a REGRESSION-head LSTM. */
@Service
class Forecaster {

  static final int MAX_HISTORY = 10_000;

  private final ModelCache cache;
  private final ComputeBackend compute;

  Forecaster(ModelCache cache, ComputeBackend compute) {
    this.cache = cache;
    this.compute = compute;
  }

  ForecastResponse forecast(UUID modelId, ForecastRequest request) {
    LoadedModel model = cache.get(modelId);
    ModelVersion v = model.version();
    if (!(v.spec() instanceof LstmSpec lstm) || lstm.headOrDefault() != LstmSpec.Head.REGRESSION) {
      throw ApiException.invalid("history", "model " + modelId + " is not a forecaster");
    }
    List<List<Double>> history = request == null ? null : request.history();
    if (history == null || history.isEmpty() || history.size() > MAX_HISTORY) {
      throw ApiException.invalid(
          "history",
          "is required: 1 to "
              + MAX_HISTORY
              + " rows (the model was trained on "
              + v.inputShape().get(0)
              + ")");
    }
    int cols = v.inputShape().get(1);
    int steps = history.size();
    Standardization norm = v.normalization();
    float[] data = new float[cols * steps];
    List<FieldViolation> violations = new ArrayList<>();
    for (int t = 0; t < steps && violations.size() < 20; t++) {
      List<Double> row = history.get(t);
      if (row == null || row.size() != cols) {
        violations.add(
            new FieldViolation(
                "history[" + t + "]",
                "must have " + cols + " values, got " + (row == null ? 0 : row.size())));
        continue;
      }
      for (int c = 0; c < cols; c++) {
        Double value = row.get(c);
        if (value == null || !Double.isFinite(value)) {
          violations.add(
              new FieldViolation(
                  "history[" + t + "][" + c + "]", "must be a finite number, got " + value));
        } else {
          data[c * steps + t] = (float) ((value - norm.mean().get(c)) / norm.std().get(c));
        }
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    compute.applyThreadsToCurrentThread();
    double mean = norm.mean().get(cols - 1);
    double std = norm.std().get(cols - 1);
    List<Double> forecast = new ArrayList<>();
    try (INDArray x = Nd4j.create(data, new long[] {1, cols, steps}, 'c');
        INDArray out = model.output(x)) {
      for (float p : out.toFloatVector()) {
        forecast.add(p * std + mean);
      }
    }
    return new ForecastResponse(modelId, v.labels(), forecast);
  }
}
