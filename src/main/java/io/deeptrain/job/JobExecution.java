package io.deeptrain.job;

import io.deeptrain.metric.MetricBufferFullException;
import io.deeptrain.metric.MetricSink;
import io.deeptrain.metric.TrainingThroughput;
import io.deeptrain.system.DatabaseOutage;
import io.deeptrain.training.ResumePoint;
import io.deeptrain.training.TrainedModel;
import io.deeptrain.training.Trainer;
import io.deeptrain.training.TrainingCancelledException;
import io.deeptrain.training.TrainingFailedException;
import io.deeptrain.training.TrainingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The body of one job on a worker thread: train, then record the outcome. Whatever happens the
 * worker survives and the job ends in a state with a reason, unless another replica owns it now.
 */
@Component
class JobExecution {

  private static final Logger log = LoggerFactory.getLogger(JobExecution.class);

  static final String MDC_JOB_ID = "job_id";
  static final String MDC_JOB_NAME = "job_name";

  private final Trainer trainer;
  private final JobRepository jobs;
  private final JobCompletion completion;
  private final MetricSink metrics;
  private final ReplicaIdentity replica;
  private final CheckpointRepository checkpoints;
  private final CheckpointProperties checkpointProps;
  private final JobMetrics jobMetrics;
  private final TrainingThroughput throughput;
  private final JobProperties props;

  JobExecution(
      Trainer trainer,
      JobRepository jobs,
      JobCompletion completion,
      MetricSink metrics,
      ReplicaIdentity replica,
      CheckpointRepository checkpoints,
      CheckpointProperties checkpointProps,
      JobMetrics jobMetrics,
      TrainingThroughput throughput,
      JobProperties props) {
    this.props = props;
    this.trainer = trainer;
    this.jobs = jobs;
    this.completion = completion;
    this.metrics = metrics;
    this.replica = replica;
    this.checkpoints = checkpoints;
    this.checkpointProps = checkpointProps;
    this.jobMetrics = jobMetrics;
    this.throughput = throughput;
  }

  void run(RunningJob run) {
    Job job = run.job();
    // On this thread every log line of the run (ours, DL4J's listeners, ND4J's) carries the job.
    MDC.put(MDC_JOB_ID, job.id().toString());
    MDC.put(MDC_JOB_NAME, job.name());
    long started = System.nanoTime();
    String result = "FAILED";
    try (TrainingThroughput.Tracking tracked = throughput.track(job.id(), job.spec().type())) {
      log.info(
          "Training job {} ({}, {} on {}), attempt {}",
          job.id(),
          job.name(),
          job.spec().type(),
          job.dataset(),
          job.attempt());
      TrainedModel model;
      JobCheckpoints store =
          new JobCheckpoints(job.id(), replica.id(), checkpoints, checkpointProps);
      try {
        TrainingRequest request =
            new TrainingRequest(job.id(), job.dataset(), job.spec(), job.training().resolved());
        model = trainer.train(request, run, store);
      } finally {
        // Whatever the outcome, the last checkpoint lands before the job changes hands.
        store.close();
      }
      metrics.flush();
      DatabaseOutage.retry(
          "record the job's success", () -> completion.succeed(job, model, replica.id()));
      result = "SUCCEEDED";
      log.info("Job {} succeeded in {} ms", job.id(), (System.nanoTime() - started) / 1_000_000);
    } catch (JobCompletion.LostOwnershipException e) {
      result = "LOST";
      log.warn(
          "Job {} finished training but another replica owns it now; its result is discarded",
          job.id());
    } catch (TrainingCancelledException e) {
      result = stopped(run);
    } catch (TrainingFailedException e) {
      if (e.getCause() instanceof MetricBufferFullException full) {
        // Trainers wrap what they did not expect; this one is the database, not the spec.
        result = retry(job, full.getMessage());
      } else if (DatabaseOutage.isOutage(e)) {
        result = retry(job, unreachable(e));
      } else {
        // The spec or the data: another attempt would fail the same way.
        fail(job, e.getMessage());
      }
    } catch (MetricBufferFullException e) {
      result = retry(job, e.getMessage());
    } catch (OutOfMemoryError e) {
      fail(
          job,
          "ran out of memory ("
              + e.getMessage()
              + "); use a smaller batchSize or fewer/smaller layers, or give the service more memory");
    } catch (Throwable e) {
      if (DatabaseOutage.isOutage(e)) {
        result = retry(job, unreachable(e));
      } else {
        log.error("Job {} failed unexpectedly", job.id(), e);
        result =
            retry(
                job, "internal error while training: " + e + "; the service logs have the details");
      }
    } finally {
      jobMetrics.finished(result, System.nanoTime() - started);
      MDC.remove(MDC_JOB_ID);
      MDC.remove(MDC_JOB_NAME);
    }
  }

  /** Returns the run's result for the metrics. */
  private String stopped(RunningJob run) {
    Job job = run.job();
    RunningJob.StopReason reason = run.stopReason();
    if (reason == RunningJob.StopReason.LOST) {
      log.warn("Job {} stopped: another replica took it over", job.id());
      return "LOST";
    }
    flushQuietly();
    if (reason == RunningJob.StopReason.SHUTDOWN) {
      handBack(run);
      return "HANDED_BACK";
    } else if (reason == RunningJob.StopReason.TIMEOUT) {
      fail(job, run.timeoutReason());
      return "FAILED";
    } else if (DatabaseOutage.retry(
        "record the cancellation",
        () ->
            jobs.finish(
                job.id(), replica.id(), JobStatus.CANCELLED, "cancelled by request", null))) {
      log.info("Job {} cancelled", job.id());
    }
    return "CANCELLED";
  }

  /** Returns a job to the queue without counting the attempt (this replica is shutting down). */
  void handBack(RunningJob run) {
    if (DatabaseOutage.retry("hand the job back", () -> jobs.release(run.id(), replica.id()))) {
      jobs.notifyQueued();
      log.info("Job {} handed back to the queue", run.id());
    }
  }

  /**
   * Before the first iteration: forgets what a crashed attempt did after the resume point and
   * records where this attempt starts (progress and {@code resumedFrom}).
   */
  void starting(Job job, ResumePoint from) {
    // Both must land before the run writes its first point: waited for through an outage.
    DatabaseOutage.retry(
        "record where the run starts",
        () -> {
          checkpoints.discardAfter(job.id(), replica.id(), from);
          return jobs.starting(job.id(), replica.id(), from);
        });
    if (!from.fromScratch()) {
      log.info(
          "Job {} attempt {} resumed from its checkpoint at epoch {} + {} batches (iteration {})",
          job.id(),
          job.attempt(),
          from.epochsDone(),
          from.batchesDone(),
          from.iteration());
    }
  }

  /**
   * Progress is news, not state: with the database unreachable training goes on (the next epoch's
   * update catches up; the checkpoint is what a resume relies on).
   */
  void progress(Job job, int epochsDone) {
    try {
      jobs.progress(job.id(), replica.id(), epochsDone);
    } catch (RuntimeException e) {
      if (!DatabaseOutage.isOutage(e)) {
        throw e;
      }
      log.warn(
          "Progress of job {} (epoch {}) not recorded: {}", job.id(), epochsDone, e.getMessage());
    }
  }

  void warn(Job job, String warning) {
    log.warn("Job {}: {}", job.id(), warning);
    try {
      jobs.addWarning(job.id(), replica.id(), warning);
    } catch (RuntimeException e) {
      if (!DatabaseOutage.isOutage(e)) {
        throw e;
      }
      log.warn("Warning of job {} not stored (it is in this log): {}", job.id(), e.getMessage());
    }
  }

  private void fail(Job job, String reason) {
    flushQuietly();
    log.warn("Job {} failed: {}", job.id(), reason);
    DatabaseOutage.retry(
        "record the failure",
        () -> jobs.finish(job.id(), replica.id(), JobStatus.FAILED, reason, null));
  }

  /**
   * A cause not in the spec or data: try again after a backoff while attempts remain. Returns the
   * run's result for the metrics.
   */
  private String retry(Job job, String cause) {
    flushQuietly();
    JobStatus now =
        DatabaseOutage.retry(
            "requeue the job",
            () ->
                jobs.retryOrFail(
                    job.id(), replica.id(), cause, props.retryBackoff(), props.maxRetryBackoff()));
    if (now == JobStatus.QUEUED) {
      log.warn(
          "Job {} attempt {} failed, retrying in {}: {}",
          job.id(),
          job.attempt(),
          props.backoffAfter(job.attempt()),
          cause);
    } else if (now == JobStatus.FAILED) {
      log.warn("Job {} failed after {} attempts: {}", job.id(), job.attempt(), cause);
    }
    return now == JobStatus.QUEUED ? "RETRIED" : "FAILED";
  }

  /** The reason a run stopped by an outage gives, naming the driver's own words. */
  private static String unreachable(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "the database could not be reached while training (" + root.getMessage() + ")";
  }

  private void flushQuietly() {
    try {
      metrics.flush();
    } catch (RuntimeException e) {
      log.warn("Metrics of the job could not all be written: {}", e.getMessage());
    }
  }
}
