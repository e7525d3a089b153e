package io.deeptrain.generative;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.training.SpecTrainer;
import io.deeptrain.training.TrainingSamples;
import java.util.List;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The service's generative training loops without the service around them (bench/run's in-process
 * rows): the same trainer classes, metrics to {@code metrics}, no sample grids stored and no
 * end-of-run sample-quality measurement.
 */
public final class GenerativeTrainers {

  private GenerativeTrainers() {}

  public static List<SpecTrainer> inProcess(
      DatasetCatalog catalog, MetricRecorder metrics, MetricProperties metricProperties) {
    GenerativeRuns runs =
        new GenerativeRuns(
            catalog,
            metrics,
            metricProperties,
            TrainingSamples.none(),
            new StaticListableBeanFactory().getBeanProvider(SampleQuality.class));
    return List.of(new VaeTrainer(runs), new GanTrainer(runs), new DiffusionTrainer(runs));
  }
}
