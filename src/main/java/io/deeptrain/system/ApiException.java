package io.deeptrain.system;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/**
 * A failure the client can act on. Rendered as an RFC 9457 problem detail by {@link
 * ProblemDetailsAdvice}; the {@link Problem} fixes its type URI, title and status.
 */
public class ApiException extends RuntimeException {

  /** The stable problem types of the API. */
  public enum Problem {
    INVALID_REQUEST("invalid-request", "Invalid request", HttpStatus.BAD_REQUEST),
    SPEC_DOES_NOT_FIT(
        "spec-does-not-fit-dataset",
        "Spec does not fit the dataset",
        HttpStatus.UNPROCESSABLE_CONTENT),
    NOT_FOUND("not-found", "Resource not found", HttpStatus.NOT_FOUND),
    WRONG_STATE("wrong-state", "Resource is in the wrong state", HttpStatus.CONFLICT),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", HttpStatus.CONTENT_TOO_LARGE),
    QUEUE_FULL("queue-full", "Queue full", HttpStatus.TOO_MANY_REQUESTS),
    UNAUTHORIZED("unauthorized", "API key required", HttpStatus.UNAUTHORIZED),
    FORBIDDEN("forbidden", "Role not allowed", HttpStatus.FORBIDDEN),
    RATE_LIMITED("rate-limited", "Too many requests", HttpStatus.TOO_MANY_REQUESTS),
    UNSUPPORTED_MODEL("unsupported-model", "Model not supported", HttpStatus.UNPROCESSABLE_CONTENT),
    MODEL_UNAVAILABLE("model-unavailable", "Model not available", HttpStatus.SERVICE_UNAVAILABLE),
    STREAM_LIMIT("stream-limit", "Too many event streams", HttpStatus.SERVICE_UNAVAILABLE),
    DATABASE_UNAVAILABLE(
        "database-unavailable", "Database unavailable", HttpStatus.SERVICE_UNAVAILABLE),
    DOWNLOAD_FAILED("download-failed", "Download failed", HttpStatus.BAD_GATEWAY);

    private final String slug;
    private final String title;
    private final HttpStatus status;

    Problem(String slug, String title, HttpStatus status) {
      this.slug = slug;
      this.title = title;
      this.status = status;
    }

    public String typeUri() {
      return ProblemDetailsAdvice.TYPE_PREFIX + slug;
    }

    public String title() {
      return title;
    }

    public HttpStatus status() {
      return status;
    }
  }

  private final Problem problem;
  private final transient List<FieldViolation> violations;
  private Duration retryAfter;

  public ApiException(Problem problem, String detail, List<FieldViolation> violations) {
    super(detail);
    this.problem = problem;
    this.violations = List.copyOf(violations);
  }

  public ApiException(Problem problem, String detail) {
    this(problem, detail, List.of());
  }

  public static ApiException invalid(List<FieldViolation> violations) {
    return new ApiException(Problem.INVALID_REQUEST, summary(violations), violations);
  }

  public static ApiException invalid(String field, String message) {
    return invalid(List.of(new FieldViolation(field, message)));
  }

  public static ApiException doesNotFit(List<FieldViolation> violations) {
    return new ApiException(Problem.SPEC_DOES_NOT_FIT, summary(violations), violations);
  }

  public static ApiException notFound(String what, Object id) {
    return new ApiException(Problem.NOT_FOUND, what + " '" + id + "' does not exist");
  }

  public static ApiException wrongState(String detail) {
    return new ApiException(Problem.WRONG_STATE, detail);
  }

  /** A file the server had to fetch could not be fetched or verified; the detail says what. */
  public static ApiException downloadFailed(String detail) {
    return new ApiException(Problem.DOWNLOAD_FAILED, detail);
  }

  private static String summary(List<FieldViolation> violations) {
    return violations.stream().map(FieldViolation::toString).collect(Collectors.joining("; "));
  }

  /** Tells the client when trying again may succeed (the {@code Retry-After} header). */
  public ApiException retryAfter(Duration after) {
    this.retryAfter = after;
    return this;
  }

  /** When trying again may succeed, or null when retrying the same request cannot help. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public Problem problem() {
    return problem;
  }

  public List<FieldViolation> violations() {
    return violations;
  }
}
