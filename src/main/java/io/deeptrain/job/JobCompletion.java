package io.deeptrain.job;

import io.deeptrain.model.ModelRegistry;
import io.deeptrain.model.ModelSource;
import io.deeptrain.model.NewModelVersion;
import io.deeptrain.training.TrainedModel;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers the model and marks the job SUCCEEDED in one transaction, so there is never a
 * registered model for a job that another replica has taken over, nor a SUCCEEDED job without one.
 */
@Component
class JobCompletion {

  private final ModelRegistry models;
  private final JobRepository jobs;
  private final CheckpointRepository checkpoints;

  JobCompletion(ModelRegistry models, JobRepository jobs, CheckpointRepository checkpoints) {
    this.models = models;
    this.jobs = jobs;
    this.checkpoints = checkpoints;
  }

  @Transactional
  public boolean succeed(Job job, TrainedModel model, String owner) {
    UUID modelId =
        models.register(
            new NewModelVersion(
                job.name(),
                job.id(),
                job.dataset(),
                job.spec(),
                job.training(),
                model.artifact(),
                model.mediaType(),
                model.labels(),
                model.inputShape(),
                model.normalization(),
                model.metrics(),
                model.confusion(),
                ModelSource.JOB));
    if (!jobs.stopReason(job.id(), owner, model.stopReason())
        || !jobs.finish(job.id(), owner, JobStatus.SUCCEEDED, null, modelId)) {
      throw new LostOwnershipException(job.id());
    }
    // A SUCCEEDED job cannot be resumed: its checkpoints are dead weight.
    checkpoints.deleteAll(job.id());
    return true;
  }

  /** Rolls the registration back. */
  static class LostOwnershipException extends RuntimeException {
    LostOwnershipException(UUID id) {
      super("job " + id + " is no longer owned by this replica");
    }
  }
}
