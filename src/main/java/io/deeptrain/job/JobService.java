package io.deeptrain.job;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetInfo;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.spec.SpecValidator;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Submitting, reading and cancelling jobs: the domain rules in front of the queue. */
@Service
public class JobService {

  static final int MAX_PAGE_SIZE = 200;
  static final int MAX_NAME_LENGTH = 200;

  private final JobRepository jobs;
  private final DatasetCatalog datasets;
  private final SpecValidator validator;
  private final SpecGeometry geometry;
  private final JobProperties props;
  private final JobWorkers workers;
  private final Clock clock;
  private final DeviceAdmission admission;

  JobService(
      JobRepository jobs,
      DatasetCatalog datasets,
      SpecValidator validator,
      SpecGeometry geometry,
      JobProperties props,
      JobWorkers workers,
      Clock clock,
      DeviceAdmission admission) {
    this.jobs = jobs;
    this.datasets = datasets;
    this.validator = validator;
    this.geometry = geometry;
    this.props = props;
    this.workers = workers;
    this.clock = clock;
    this.admission = admission;
  }

  /** How long a client refused for a full queue is asked to wait. */
  static final Duration QUEUE_FULL_RETRY_AFTER = Duration.ofSeconds(30);

  @Transactional
  public JobView submit(SubmitJobRequest request) {
    DatasetInfo dataset = check(request);
    // Serialised across replicas for the rest of this transaction, so the limit is exact.
    jobs.lockSubmissions();
    long queued = jobs.count(JobStatus.QUEUED);
    if (queued >= props.maxQueued()) {
      throw new ApiException(
              ApiException.Problem.QUEUE_FULL,
              "the queue holds "
                  + queued
                  + " jobs, its limit (deeptrain.jobs.max-queued) is "
                  + props.maxQueued()
                  + "; retry once some have started",
              List.of())
          .retryAfter(QUEUE_FULL_RETRY_AFTER);
    }
    TrainingSpec training =
        (request.training() == null ? TrainingSpec.defaults() : request.training().resolved());
    String name =
        request.name() != null
            ? request.name().strip()
            : request.spec().type().toLowerCase(Locale.ROOT) + "-" + dataset.name();
    Job job =
        new Job(
            UUID.randomUUID(),
            name,
            JobStatus.QUEUED,
            request.priority() == null ? 0 : request.priority(),
            dataset.name(),
            request.spec(),
            training,
            0,
            props.maxAttempts(),
            null,
            null,
            false,
            clock.instant(),
            null,
            null,
            null,
            0,
            training.epochs(),
            null,
            null,
            null,
            null,
            List.of(),
            request.timeout(),
            null,
            submitter());
    jobs.insert(job);
    return JobView.from(job);
  }

  /**
   * Throws the 400 or 422 that {@link #submit} would, without queuing anything and without joining
   * a transaction (so a caller may catch it): sweeps check every trial before they queue one.
   */
  public void validate(SubmitJobRequest request) {
    check(request);
  }

  private DatasetInfo check(SubmitJobRequest request) {
    if (request == null) {
      throw ApiException.invalid("$", "request body is required");
    }
    List<FieldViolation> violations = new ArrayList<>();
    DatasetInfo dataset = null;
    if (request.dataset() == null || request.dataset().isBlank()) {
      violations.add(
          new FieldViolation("dataset", "is required; available: " + availableDatasets()));
    } else {
      dataset = datasets.find(request.dataset()).orElse(null);
      if (dataset == null) {
        violations.add(
            new FieldViolation(
                "dataset",
                "unknown dataset '" + request.dataset() + "'; available: " + availableDatasets()));
      }
    }
    violations.addAll(validator.validate(request.spec(), "spec"));
    violations.addAll(validator.validate(request.training(), "training"));
    if (request.priority() != null && (request.priority() < -1000 || request.priority() > 1000)) {
      violations.add(
          new FieldViolation(
              "priority", "must be between -1000 and 1000, got " + request.priority()));
    }
    long maxTimeout = props.maxTimeout().toSeconds();
    if (request.timeout() != null && (request.timeout() < 1 || request.timeout() > maxTimeout)) {
      violations.add(
          new FieldViolation(
              "timeout",
              "must be between 1 and "
                  + maxTimeout
                  + " seconds (deeptrain.jobs.max-timeout), got "
                  + request.timeout()));
    }
    if (request.name() != null
        && (request.name().isBlank() || request.name().length() > MAX_NAME_LENGTH)) {
      violations.add(new FieldViolation("name", "must be 1 to " + MAX_NAME_LENGTH + " characters"));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    // Text and time series each have one head that reads them, and that head reads nothing else.
    LstmSpec.Head needed =
        switch (dataset.kind()) {
          case DatasetInfo.TEXT -> LstmSpec.Head.LANGUAGE_MODEL;
          case DatasetInfo.TIME_SERIES -> LstmSpec.Head.REGRESSION;
          default -> null;
        };
    LstmSpec.Head head = request.spec() instanceof LstmSpec lstm ? lstm.headOrDefault() : null;
    if (needed != null && head != needed) {
      throw ApiException.doesNotFit(
          List.of(
              new FieldViolation(
                  "spec",
                  "dataset '"
                      + dataset.name()
                      + "' is "
                      + dataset.kind()
                      + ": train an LSTM with head "
                      + needed)));
    }
    if (needed == null
        && (head == LstmSpec.Head.LANGUAGE_MODEL || head == LstmSpec.Head.REGRESSION)) {
      throw ApiException.doesNotFit(
          List.of(
              new FieldViolation(
                  "spec.head",
                  head
                      + " needs a "
                      + (head == LstmSpec.Head.REGRESSION ? "timeseries" : "text")
                      + " dataset; '"
                      + dataset.name()
                      + "' is "
                      + dataset.kind())));
    }
    if (request.spec().generative() && !DatasetInfo.IMAGE.equals(dataset.kind())) {
      throw ApiException.doesNotFit(
          List.of(
              new FieldViolation(
                  "spec.type",
                  request.spec().type()
                      + " models generate images; dataset '"
                      + dataset.name()
                      + "' is "
                      + dataset.kind()
                      + ": choose an image dataset such as fashion-mnist")));
    }
    List<FieldViolation> misfit =
        geometry.check(
            request.spec(),
            dataset.name(),
            dataset.inputShape(),
            dataset.classes().size(),
            "spec",
            request.training() == null
                ? TrainingSpec.DEFAULT_BATCH_SIZE
                : request.training().resolved().batchSize(),
            "training.batchSize");
    if (!misfit.isEmpty()) {
      throw ApiException.doesNotFit(misfit);
    }
    List<FieldViolation> unplaceable =
        admission.check(
            request,
            dataset,
            request.training() == null
                ? TrainingSpec.DEFAULT_BATCH_SIZE
                : request.training().resolved().batchSize());
    if (!unplaceable.isEmpty()) {
      throw ApiException.doesNotFit(unplaceable);
    }
    return dataset;
  }

  @Transactional(readOnly = true)
  public JobView get(UUID id) {
    return JobView.from(find(id));
  }

  @Transactional(readOnly = true)
  public JobPage list(JobStatus status, int page, int size) {
    List<FieldViolation> violations = new ArrayList<>();
    if (page < 0) {
      violations.add(new FieldViolation("page", "must be >= 0, got " + page));
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      violations.add(
          new FieldViolation("size", "must be between 1 and " + MAX_PAGE_SIZE + ", got " + size));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    List<JobView> items = jobs.page(status, page * size, size).stream().map(JobView::from).toList();
    return new JobPage(items, page, size, jobs.count(status));
  }

  /**
   * Cancels a queued job at once; asks a running one to stop at its next iteration (this replica
   * hears it at once, others at their next heartbeat); refuses a finished one.
   */
  @Transactional
  public JobView cancel(UUID id) {
    if (!jobs.cancelQueued(id)) {
      if (jobs.requestCancel(id)) {
        workers.requestStop(id, RunningJob.StopReason.CANCELLED);
      } else {
        Job job = find(id);
        if (job.status().isFinished()) {
          throw ApiException.wrongState(
              "job "
                  + id
                  + " already finished as "
                  + job.status()
                  + "; only QUEUED or RUNNING jobs can be cancelled");
        }
      }
    }
    return JobView.from(find(id));
  }

  /**
   * Requeues a CANCELLED or FAILED job with a fresh attempt budget; its next run continues from the
   * newest checkpoint, or from scratch if it has none.
   */
  @Transactional
  public JobView resume(UUID id) {
    if (!jobs.resume(id)) {
      Job job = find(id);
      throw ApiException.wrongState(
          "job "
              + id
              + " is "
              + job.status()
              + "; only CANCELLED or FAILED jobs can be resumed"
              + (job.status() == JobStatus.SUCCEEDED ? " (it already finished)" : ""));
    }
    jobs.notifyQueued();
    return JobView.from(find(id));
  }

  /**
   * The API key a request was made with, or null in open mode (one user, no per-key limit). Read
   * from Spring Security's context so that {@code job} need not know the {@code security} package.
   */
  private static String submitter() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
      return null;
    }
    return auth.getName();
  }

  private Job find(UUID id) {
    return jobs.find(id).orElseThrow(() -> ApiException.notFound("job", id));
  }

  private String availableDatasets() {
    return datasets.list().stream()
        .map(DatasetInfo::name)
        .sorted()
        .collect(Collectors.joining(", "));
  }
}
