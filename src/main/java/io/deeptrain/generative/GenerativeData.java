package io.deeptrain.generative;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetInfo;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.training.TrainingFailedException;

/** The data side shared by the generative training loops. */
final class GenerativeData {

  private GenerativeData() {}

  /**
   * The job's dataset, split by the training spec's seed and test fraction.
   *
   * @throws TrainingFailedException when it no longer exists or is not an image dataset; the
   *     message lists the image datasets there are
   */
  static DatasetSplit open(DatasetCatalog datasets, String dataset, TrainingSpec training) {
    try {
      return datasets.open(dataset, training.testFraction(), training.seed());
    } catch (ApiException | IllegalArgumentException e) {
      throw new TrainingFailedException(
          "dataset '"
              + dataset
              + "' cannot be opened as images ("
              + e.getMessage()
              + "); submit the job again with one of "
              + datasets.list().stream()
                  .filter(d -> d.inputShape().size() == 3)
                  .map(DatasetInfo::name)
                  .toList(),
          e);
    }
  }
}
