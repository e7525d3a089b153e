package io.deeptrain.job;

import io.deeptrain.system.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "Submit training jobs, follow them, cancel them")
class JobController {

  private final JobService jobs;
  private final JobSamples samples;

  JobController(JobService jobs, JobSamples samples) {
    this.jobs = jobs;
    this.samples = samples;
  }

  @PostMapping
  @Operation(
      summary = "Queue a training job",
      description =
          "Validates the spec against the dataset and queues the job; 202 with the job and its"
              + " Location. Poll GET /api/v1/jobs/{id} until SUCCEEDED, then use its modelId."
              + " 429 with Retry-After when deeptrain.jobs.max-queued jobs are already queued.")
  ResponseEntity<JobView> submit(@RequestBody SubmitJobRequest request) {
    JobView job = jobs.submit(request);
    return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
  }

  @GetMapping
  @Operation(operationId = "listJobs", summary = "List jobs, newest first")
  JobPage list(
      @Parameter(description = "Only jobs in this status") @RequestParam(required = false)
          JobStatus status,
      @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = "20") int size) {
    return jobs.list(status, page, size);
  }

  @GetMapping("/{id}")
  @Operation(
      operationId = "getJob",
      summary = "One job: status, progress, timestamps, error, model")
  JobView get(@PathVariable UUID id) {
    return jobs.get(id);
  }

  @GetMapping("/{id}/samples")
  @Operation(
      summary = "What the model generated after each epoch",
      description =
          "LSTM jobs with head LANGUAGE_MODEL: the first 20 characters of the held-out text"
              + " followed by 200 generated characters (temperature 0.8). VAE, GAN and diffusion"
              + " jobs: the path of a PNG grid of samples from fixed noise, so the epochs compare."
              + " Empty for other jobs.")
  java.util.List<JobSamples.Sample> samples(@PathVariable UUID id) {
    jobs.get(id); // 404 for an unknown job
    return samples.of(id);
  }

  @GetMapping(value = "/{id}/samples/{epoch}.png", produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(
      summary = "The grid of images a generative model produced after an epoch",
      description =
          "Generated from the same noise every epoch, so a person can watch the model learn (or"
              + " a GAN collapse). 404 when the job has no image for that epoch.")
  ResponseEntity<byte[]> sampleImage(@PathVariable UUID id, @PathVariable int epoch) {
    jobs.get(id); // 404 for an unknown job
    byte[] png =
        samples
            .image(id, epoch)
            .orElseThrow(() -> ApiException.notFound("sample image of epoch", id + "/" + epoch));
    return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png);
  }

  @PostMapping("/{id}/cancel")
  @Operation(
      summary = "Cancel a job",
      description =
          "A queued job is cancelled at once; a running one stops at its next iteration"
              + " (cancelRequested=true until then); a finished one gives 409.")
  ResponseEntity<JobView> cancel(@PathVariable UUID id) {
    return ResponseEntity.accepted().body(jobs.cancel(id));
  }

  @PostMapping("/{id}/resume")
  @Operation(
      summary = "Resume a cancelled or failed job",
      description =
          "Puts a CANCELLED or FAILED job back in the queue (202) with a fresh attempt budget,"
              + " its error and cancel flag cleared. Its next run continues from its newest"
              + " checkpoint (taken at every epoch end, every deeptrain.checkpoints.every-iterations"
              + " iterations and when a run is cancelled): progress.epochsDone shows where, and"
              + " resumedFrom is set once a worker has restored it. A job without a checkpoint"
              + " starts again from epoch 1. Metric points after the checkpoint are replaced by"
              + " the resumed run's. 409 for a QUEUED, RUNNING or SUCCEEDED job, 404 for an"
              + " unknown one.")
  ResponseEntity<JobView> resume(@PathVariable UUID id) {
    return ResponseEntity.accepted().body(jobs.resume(id));
  }
}
