package io.deeptrain.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A classifier's confusion matrix on its test split, with per-class precision and recall. */
public record ConfusionView(
    UUID modelId,
    List<String> labels,
    @Schema(description = "counts[actual][predicted], in label order") List<List<Integer>> counts,
    int total,
    double accuracy,
    List<ClassStats> classes) {

  /** How one class fares: precision = right among predicted, recall = found among actual. */
  public record ClassStats(String label, int support, double precision, double recall, double f1) {}

  static ConfusionView from(UUID modelId, List<String> labels, List<List<Integer>> counts) {
    int n = labels.size();
    int total = 0;
    int correct = 0;
    int[] predicted = new int[n];
    int[] actual = new int[n];
    for (int a = 0; a < n; a++) {
      for (int p = 0; p < n; p++) {
        int c = counts.get(a).get(p);
        total += c;
        actual[a] += c;
        predicted[p] += c;
        if (a == p) {
          correct += c;
        }
      }
    }
    List<ClassStats> stats = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int hit = counts.get(i).get(i);
      double precision = predicted[i] == 0 ? 0 : hit / (double) predicted[i];
      double recall = actual[i] == 0 ? 0 : hit / (double) actual[i];
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      stats.add(new ClassStats(labels.get(i), actual[i], precision, recall, f1));
    }
    return new ConfusionView(
        modelId, labels, counts, total, total == 0 ? 0 : correct / (double) total, stats);
  }
}
