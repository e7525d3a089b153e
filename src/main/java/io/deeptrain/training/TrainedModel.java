package io.deeptrain.training;

import io.deeptrain.dataset.Standardization;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a successful run.
 *
 * @param artifact the DL4J model zip ({@code ModelSerializer}), without updater state
 * @param mediaType which DL4J network the zip holds (multi-layer network or computation graph)
 * @param labels class names, in output order
 * @param inputShape shape of one input, e.g. [4] for iris
 * @param normalization the transform fitted on the training split, applied again at inference
 * @param metrics final metrics (test_accuracy, test_loss, ...)
 * @param confusion test-split counts, rows = actual class, columns = predicted class
 * @param stopReason why training ended, for a person: "completed all 60 epochs", or "early
 *     stopping: test_loss did not improve by 0.001 for 3 epochs; best epoch 7 (...)"
 */
public record TrainedModel(
    byte[] artifact,
    String mediaType,
    List<String> labels,
    List<Integer> inputShape,
    Standardization normalization,
    Map<String, Double> metrics,
    List<List<Integer>> confusion,
    String stopReason) {}
