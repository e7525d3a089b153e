package io.deeptrain.job;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Jobs")
class JobEventController {

  private final JobEventStreams streams;

  JobEventController(JobEventStreams streams) {
    this.streams = streams;
  }

  @GetMapping(value = "/api/v1/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Follow a job live (server-sent events)",
      description =
          "Events: 'status' with the job (as GET /api/v1/jobs/{id}) whenever its status,"
              + " progress, warnings or cancel flag change, and on connecting (after the points"
              + " so far; on a reconnect only if it changed); 'metric' with an array of metric"
              + " points {seq, name, step, epoch, value} in the order they were written. Each"
              + " event has an id; reconnect with Last-Event-ID (as EventSource does) to continue"
              + " after it with no gap and no repeat. A point a resumed run rewrites comes again"
              + " and replaces the (name, step) it had. The stream ends after the last points and"
              + " status of a finished job; a reconnect after that gets 204. Idle streams carry a"
              + " heartbeat comment. Beyond deeptrain.events.max-streams open streams on a"
              + " replica: 503.")
  @ApiResponse(
      responseCode = "200",
      description = "The event stream",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema =
                  @Schema(
                      type = "string",
                      example =
                          "event:metric\nid:3.\ndata:[{\"seq\":3,\"name\":\"train_loss\","
                              + "\"step\":1,\"epoch\":1,\"value\":0.41}]\n\n")))
  @ApiResponse(
      responseCode = "204",
      description = "The job is finished and the client has seen all of it",
      content = @Content)
  @ApiResponse(
      responseCode = "503",
      description = "Too many open streams on this replica (a problem detail)",
      content = @Content)
  ResponseEntity<SseEmitter> events(
      @PathVariable UUID id,
      @Parameter(description = "The id of the last event received, to resume after it")
          @RequestHeader(value = "Last-Event-ID", required = false)
          String lastEventId) {
    SseEmitter emitter = streams.open(id, EventCursor.parse(lastEventId));
    if (emitter == null) {
      return ResponseEntity.noContent().build();
    }
    return ResponseEntity.ok()
        .header("Cache-Control", "no-cache")
        // Tells nginx-style proxies not to buffer the stream.
        .header("X-Accel-Buffering", "no")
        .body(emitter);
  }
}
