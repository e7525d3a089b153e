package io.deeptrain.sweep;

import io.deeptrain.job.JobService;
import io.deeptrain.job.JobView;
import io.deeptrain.job.SubmitJobRequest;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creating, reading, advancing and cancelling sweeps. Trials become jobs through {@link
 * JobService}, so a child is queued, run and cancelled like any other job.
 */
@Service
public class SweepService {

  private static final Logger log = LoggerFactory.getLogger(SweepService.class);

  static final int MAX_PAGE_SIZE = 100;

  private final SweepRepository sweeps;
  private final TrialJobs trialJobs;
  private final JobService jobs;
  private final JsonMapper json;
  private final TransactionTemplate tx;
  private final Clock clock;

  SweepService(
      SweepRepository sweeps,
      TrialJobs trialJobs,
      JobService jobs,
      JsonMapper json,
      TransactionTemplate tx,
      Clock clock) {
    this.sweeps = sweeps;
    this.trialJobs = trialJobs;
    this.jobs = jobs;
    this.json = json;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Checks every trial as a job first, then stores the sweep with all its trials and queues the
   * first maxParallel of them, all in one transaction: a sweep is accepted whole or not at all.
   */
  @Transactional
  public SweepView create(SweepRequest request) {
    SweepPlan plan = TrialPlanner.plan(request, ThreadLocalRandom.current().nextLong());
    List<ObjectNode> children = trialJobs.build(plan, request.base());
    UUID id = UUID.randomUUID();
    sweeps.insert(
        new SweepRepository.SweepRow(
            id,
            plan.name(),
            SweepStatus.RUNNING,
            plan.search(),
            plan.objective(),
            plan.maxParallel(),
            plan.seed(),
            json.writeValueAsString(new SweepView.Definition(request.base(), request.parameters())),
            clock.instant(),
            null));
    for (int i = 0; i < children.size(); i++) {
      TrialPlan trial = plan.trials().get(i);
      sweeps.insertTrial(
          id,
          trial.number(),
          json.writeValueAsString(trial.parameters()),
          json.writeValueAsString(children.get(i)));
    }
    release(id, plan.maxParallel());
    log.info(
        "Sweep {} ({}): {} trials, {} at a time",
        id,
        plan.name(),
        children.size(),
        plan.maxParallel());
    return view(sweeps.find(id).orElseThrow());
  }

  @Transactional(readOnly = true)
  public SweepView get(UUID id) {
    return view(sweeps.find(id).orElseThrow(() -> ApiException.notFound("sweep", id)));
  }

  @Transactional(readOnly = true)
  public SweepSummary.Page list(int page, int size) {
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
    List<SweepSummary> items =
        sweeps.page(page * size, size).stream().map(s -> SweepSummary.from(view(s))).toList();
    return new SweepSummary.Page(items, page, size, sweeps.count());
  }

  /**
   * Fills free slots of a running sweep with pending trials, or marks it SUCCEEDED once every trial
   * has finished. Skips a sweep another replica (or a cancel) is working on right now.
   */
  @Transactional
  public void advance(UUID id) {
    SweepRepository.SweepRow sweep = sweeps.lock(id, false).orElse(null);
    if (sweep == null || sweep.status() != SweepStatus.RUNNING) {
      return;
    }
    int active = sweeps.active(id);
    int released = release(id, sweep.maxParallel() - active);
    if (active == 0 && released == 0 && sweeps.pending(id, 1).isEmpty()) {
      sweeps.finish(id, SweepStatus.SUCCEEDED);
      log.info("Sweep {} ({}) finished", id, sweep.name());
    }
  }

  /**
   * Cancels the sweep: pending trials never start, queued children are cancelled at once and
   * running ones at their next iteration. The sweep row is settled first, in its own transaction,
   * so that no trial is released afterwards; each child is then cancelled in the job feature's own
   * transaction, since one may finish on its own meanwhile.
   */
  public SweepView cancel(UUID id) {
    List<UUID> children =
        tx.execute(
            status -> {
              SweepRepository.SweepRow sweep =
                  sweeps.lock(id, true).orElseThrow(() -> ApiException.notFound("sweep", id));
              if (sweep.status().isFinished()) {
                throw ApiException.wrongState(
                    "sweep "
                        + id
                        + " already finished as "
                        + sweep.status()
                        + "; only a RUNNING sweep can be cancelled");
              }
              sweeps.cancelPending(id);
              sweeps.finish(id, SweepStatus.CANCELLED);
              return sweeps.unfinishedJobs(id);
            });
    for (UUID child : children) {
      try {
        jobs.cancel(child);
      } catch (ApiException e) {
        if (e.problem() != ApiException.Problem.WRONG_STATE) {
          throw e;
        }
        // It finished on its own between the two steps.
      }
    }
    return get(id);
  }

  /** Queues up to {@code slots} pending trials, in trial order; returns how many. */
  private int release(UUID id, int slots) {
    if (slots <= 0) {
      return 0;
    }
    int released = 0;
    for (SweepRepository.PendingTrial trial : sweeps.pending(id, slots)) {
      SubmitJobRequest request = trialJobs.bind(trial.request());
      try {
        // Checked when the sweep was accepted; a dataset deleted since then is the one way out.
        jobs.validate(request);
      } catch (ApiException e) {
        sweeps.failed(id, trial.trial(), "could not be queued: " + e.getMessage());
        continue;
      }
      JobView job = jobs.submit(request);
      sweeps.released(id, trial.trial(), job.id());
      released++;
    }
    return released;
  }

  private SweepView view(SweepRepository.SweepRow sweep) {
    List<TrialView> trials =
        sweeps.trials(sweep.id(), sweep.objective().metric()).stream()
            .map(row -> TrialView.from(row, parameters(row.parameters())))
            .toList();
    return SweepView.from(
        sweep, json.readValue(sweep.definition(), SweepView.Definition.class), trials);
  }

  private Map<String, JsonNode> parameters(String text) {
    return json.readValue(text, new TypeReference<LinkedHashMap<String, JsonNode>>() {});
  }
}
