package io.deeptrain.system;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an RFC 9457 problem detail: a stable {@code type}, a fixed {@code
 * title}, a {@code detail} a person can act on and, for bad input, {@code errors} naming each field
 * by its JSON path. Never a stack trace or an exception class name.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  public static final String TYPE_PREFIX = "https://deeptrain.io/problems/";

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> handleApi(ApiException ex) {
    ApiException.Problem p = ex.problem();
    ResponseEntity.BodyBuilder response = ResponseEntity.status(p.status());
    if (ex.retryAfter() != null) {
      // Whole seconds, at least one: clients read the header as delay-seconds.
      response.header(
          HttpHeaders.RETRY_AFTER,
          Long.toString(Math.max(1, (ex.retryAfter().toMillis() + 999) / 1000)));
    }
    return response.body(
        problem(p.status(), p.typeUri(), p.title(), ex.getMessage(), ex.violations()));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException ex) {
    Class<?> required = ex.getRequiredType();
    String message;
    if (required != null && required.isEnum()) {
      message = "must be one of " + enumValues(required);
    } else if (required == UUID.class) {
      message = "must be a UUID such as 3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f";
    } else {
      message = "must be " + (required == null ? "well formed" : article(required));
    }
    return invalid(
        List.of(new FieldViolation(ex.getName(), message + ", got '" + ex.getValue() + "'")));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
    if (DatabaseOutage.isOutage(ex)) {
      // Not the server's fault nor the client's: PostgreSQL is restarting or unreachable.
      log.warn("Request failed, the database is unreachable: {}", ex.getMessage());
      ApiException.Problem p = ApiException.Problem.DATABASE_UNAVAILABLE;
      return ResponseEntity.status(p.status())
          .header(HttpHeaders.RETRY_AFTER, "5")
          .body(
              problem(
                  p.status(),
                  p.typeUri(),
                  p.title(),
                  "The database cannot be reached right now (restarting?); retry in a few seconds",
                  List.of()));
    }
    String incident = UUID.randomUUID().toString();
    log.error("Unexpected error, incident {}", incident, ex);
    HttpStatus status = HttpStatus.INTERNAL_SERVER_ERROR;
    ProblemDetail body =
        problem(
            status,
            TYPE_PREFIX + "internal-error",
            "Internal error",
            "The server failed to handle the request; the logs name incident " + incident,
            List.of());
    return ResponseEntity.status(status).body(body);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return ResponseEntity.badRequest().body(invalid(unreadableBody(ex)).getBody());
  }

  /**
   * What is wrong with a request body that could not be read, field by field ({@code $} for the
   * whole body); the Open Inference Protocol's errors say the same in their own shape.
   */
  public static List<FieldViolation> unreadableBody(HttpMessageNotReadableException ex) {
    List<FieldViolation> violations = new ArrayList<>();
    Throwable cause = ex.getCause();
    if (cause instanceof InvalidTypeIdException e) {
      String allowed = subtypeNames(e.getBaseType() == null ? null : e.getBaseType().getRawClass());
      String field = join(path(e), "type");
      violations.add(
          new FieldViolation(
              field,
              e.getTypeId() == null
                  ? "is required; allowed: " + allowed
                  : "unknown value '" + e.getTypeId() + "'; allowed: " + allowed));
    } else if (cause instanceof UnrecognizedPropertyException e) {
      violations.add(
          new FieldViolation(
              path(e),
              "is not a known field; known fields: "
                  + e.getKnownPropertyIds().stream()
                      .map(String::valueOf)
                      .sorted()
                      .collect(Collectors.joining(", "))));
    } else if (cause instanceof InvalidFormatException e) {
      Class<?> target = e.getTargetType();
      String message =
          target != null && target.isEnum()
              ? "unknown value '" + e.getValue() + "'; allowed: " + enumValues(target)
              : "cannot be read from '" + e.getValue() + "': must be " + article(target);
      violations.add(new FieldViolation(path(e), message));
    } else if (cause instanceof MismatchedInputException e) {
      violations.add(new FieldViolation(path(e), "must be " + article(e.getTargetType())));
    } else if (cause instanceof StreamReadException e) {
      violations.add(
          new FieldViolation(
              "$",
              "is not valid JSON (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")"));
    } else if (cause instanceof JacksonException e) {
      violations.add(new FieldViolation(path(e), "cannot be read: " + e.getOriginalMessage()));
    } else {
      violations.add(new FieldViolation("$", "request body is missing or not readable JSON"));
    }
    return violations;
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldViolation> violations =
        ex.getBindingResult().getFieldErrors().stream()
            .map(f -> new FieldViolation(f.getField(), f.getDefaultMessage()))
            .toList();
    return ResponseEntity.badRequest().body(invalid(violations).getBody());
  }

  /** Spring's multipart limit gives the same 413 problem as the service's own upload limits. */
  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
      MaxUploadSizeExceededException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ApiException.Problem p = ApiException.Problem.PAYLOAD_TOO_LARGE;
    String limit = ex.getMaxUploadSize() > 0 ? " of " + (ex.getMaxUploadSize() >> 10) + " KB" : "";
    return ResponseEntity.status(p.status())
        .body(
            problem(
                p.status(),
                p.typeUri(),
                p.title(),
                "the request exceeds the upload limit"
                    + limit
                    + " (spring.servlet.multipart.max-file-size / max-request-size)",
                List.of()));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    // Framework errors (405, 406, 413, 415, missing parameters...) keep Spring's problem detail but
    // get a stable type URI instead of about:blank.
    ResponseEntity<Object> response =
        super.handleExceptionInternal(ex, body, headers, status, request);
    if (response != null
        && response.getBody() instanceof ProblemDetail pd
        && (pd.getType() == null || "about:blank".equals(pd.getType().toString()))) {
      pd.setType(URI.create(TYPE_PREFIX + slug(response.getStatusCode())));
    }
    return response;
  }

  private static ResponseEntity<ProblemDetail> invalid(List<FieldViolation> violations) {
    ApiException.Problem p = ApiException.Problem.INVALID_REQUEST;
    String detail =
        violations.stream().map(FieldViolation::toString).collect(Collectors.joining("; "));
    return ResponseEntity.status(p.status())
        .body(problem(p.status(), p.typeUri(), p.title(), detail, violations));
  }

  static ProblemDetail problem(
      HttpStatusCode status,
      String type,
      String title,
      String detail,
      List<FieldViolation> violations) {
    ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
    pd.setType(URI.create(type));
    pd.setTitle(title);
    if (!violations.isEmpty()) {
      pd.setProperty("errors", violations);
    }
    return pd;
  }

  private static String slug(HttpStatusCode status) {
    HttpStatus resolved = HttpStatus.resolve(status.value());
    return resolved == null
        ? "http-" + status.value()
        : resolved.name().toLowerCase().replace('_', '-');
  }

  private static String path(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "$" : sb.toString();
  }

  private static String join(String path, String field) {
    return "$".equals(path) ? field : path + "." + field;
  }

  private static String enumValues(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants())
        .map(c -> ((Enum<?>) c).name())
        .collect(Collectors.joining(", "));
  }

  private static String subtypeNames(Class<?> base) {
    JsonSubTypes subTypes = base == null ? null : base.getAnnotation(JsonSubTypes.class);
    if (subTypes == null) {
      return "see the API documentation";
    }
    return Arrays.stream(subTypes.value())
        .map(JsonSubTypes.Type::name)
        .collect(Collectors.joining(", "));
  }

  private static String article(Class<?> type) {
    if (type == null) {
      return "a value of the documented type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class
        || type == double.class
        || type == Float.class
        || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of " + enumValues(type);
    }
    return "an object";
  }
}
