package io.deeptrain.sweep;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/sweeps")
@Tag(name = "Sweeps", description = "Hyperparameter sweeps: many jobs, one leaderboard")
class SweepController {

  private final SweepService sweeps;

  SweepController(SweepService sweeps) {
    this.sweeps = sweeps;
  }

  @PostMapping
  @Operation(
      operationId = "createSweep",
      summary = "Start a hyperparameter sweep",
      description =
          "Checks every trial as POST /api/v1/jobs would (400/422 naming the parameter value or"
              + " the base job's field), then queues the first maxParallel trials; 202 with the"
              + " sweep and its Location.")
  ResponseEntity<SweepView> create(@RequestBody SweepRequest request) {
    SweepView sweep = sweeps.create(request);
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/sweeps/" + sweep.id()))
        .body(sweep);
  }

  @GetMapping
  @Operation(
      operationId = "listSweeps",
      summary = "List sweeps, newest first, each with its best trial")
  SweepSummary.Page list(
      @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "Page size, 1 to 100") @RequestParam(defaultValue = "20") int size) {
    return sweeps.list(page, size);
  }

  @GetMapping("/{id}")
  @Operation(operationId = "getSweep", summary = "One sweep and its leaderboard, best trial first")
  SweepView get(@PathVariable UUID id) {
    return sweeps.get(id);
  }

  @PostMapping("/{id}/cancel")
  @Operation(
      operationId = "cancelSweep",
      summary = "Cancel a sweep",
      description =
          "Pending trials never start, queued children are cancelled at once, running ones stop"
              + " at their next iteration; 409 if the sweep already finished.")
  ResponseEntity<SweepView> cancel(@PathVariable UUID id) {
    return ResponseEntity.accepted().body(sweeps.cancel(id));
  }
}
