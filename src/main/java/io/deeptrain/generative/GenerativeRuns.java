package io.deeptrain.generative;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetInfo;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.training.TrainingFailedException;
import io.deeptrain.training.TrainingSamples;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What every generative training loop reads from and writes to, and the steps they share: opening
 * the job's images, and measuring the finished model's samples.
 */
@Component
public class GenerativeRuns {

  private static final Logger log = LoggerFactory.getLogger(GenerativeRuns.class);

  private final DatasetCatalog datasets;
  private final MetricRecorder metrics;
  private final MetricProperties metricProperties;
  private final TrainingSamples samples;
  private final ObjectProvider<SampleQuality> quality;

  /**
   * @param quality the sample-quality measure; a run ends without one when no bean provides it
   */
  public GenerativeRuns(
      DatasetCatalog datasets,
      MetricRecorder metrics,
      MetricProperties metricProperties,
      TrainingSamples samples,
      ObjectProvider<SampleQuality> quality) {
    this.datasets = datasets;
    this.metrics = metrics;
    this.metricProperties = metricProperties;
    this.samples = samples;
    this.quality = quality;
  }

  MetricRecorder metrics() {
    return metrics;
  }

  /** Record the mini-batch {@code loss} every this many iterations. */
  int iterationEvery() {
    return metricProperties.iterationEvery();
  }

  /** Where each epoch's sample grid goes. */
  TrainingSamples samples() {
    return samples;
  }

  /**
   * The job's dataset, split by the training spec's seed and test fraction.
   *
   * @throws TrainingFailedException when it no longer exists or is not an image dataset; the
   *     message lists the image datasets there are
   */
  DatasetSplit open(String dataset, TrainingSpec training) {
    DatasetSplit data;
    try {
      data = datasets.open(dataset, training.testFraction(), training.seed());
    } catch (ApiException | IllegalArgumentException e) {
      throw new TrainingFailedException(
          "dataset '"
              + dataset
              + "' cannot be opened as images ("
              + e.getMessage()
              + "); submit the job again with one of "
              + imageDatasets(),
          e);
    }
    if (data.inputShape().size() != 3) {
      throw new TrainingFailedException(
          "dataset '"
              + dataset
              + "' has "
              + data.inputShape().get(0)
              + " features per example, not images; a generative model needs an image dataset:"
              + " submit the job again with one of "
              + imageDatasets());
    }
    return data;
  }

  private List<String> imageDatasets() {
    return datasets.list().stream()
        .filter(d -> d.inputShape().size() == 3)
        .map(DatasetInfo::name)
        .toList();
  }

  /**
   * {@link SampleQuality}'s figures for the finished model, also recorded as metrics at the last
   * epoch ({@code training.epochs()}); none when no bean measures.
   */
  Map<String, Double> measureQuality(
      UUID jobId, String dataset, GenerativeModel model, TrainingSpec training) {
    SampleQuality measure = quality.getIfAvailable();
    if (measure == null) {
      log.info("No sample-quality measure in this service: job {} ends without one", jobId);
      return Map.of();
    }
    long started = System.nanoTime();
    Map<String, Double> figures = measure.measure(dataset, model, training.seed());
    int last = training.epochs();
    figures.forEach((name, value) -> metrics.record(jobId, name, last, last, value));
    log.info(
        "Job {}: sample quality {} in {} s",
        jobId,
        figures,
        String.format("%.1f", (System.nanoTime() - started) / 1e9));
    return figures;
  }
}
