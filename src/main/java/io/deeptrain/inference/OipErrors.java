package io.deeptrain.inference;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import io.deeptrain.system.ProblemDetailsAdvice;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every failure on a {@code /v2} path, the service's own and Spring's (unreadable body, wrong
 * method, unknown path...), as the protocol's {@code {"error": "..."}} with the status the rest of
 * the API would give. It runs before the problem-details advice, which keeps every other path.
 */
@Component
class OipErrors implements HandlerExceptionResolver, Ordered {

  private static final Logger log = LoggerFactory.getLogger(OipErrors.class);

  private final JsonMapper json;

  OipErrors(JsonMapper json) {
    this.json = json;
  }

  @Override
  public int getOrder() {
    // After Boot's DefaultErrorAttributes (which only records the exception), before MVC's own.
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  static boolean isOipPath(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.equals("/v2") || path.startsWith("/v2/");
  }

  @Override
  public ModelAndView resolveException(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    if (!isOipPath(request) || response.isCommitted()) {
      return null;
    }
    HttpStatus status;
    String message;
    if (ex instanceof ApiException e) {
      status = e.problem().status();
      message = e.getMessage();
      if (e.retryAfter() != null) {
        response.setHeader(
            HttpHeaders.RETRY_AFTER,
            Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
      }
    } else if (ex instanceof HttpMessageNotReadableException e) {
      status = HttpStatus.BAD_REQUEST;
      message = unreadable(e);
    } else if (ex instanceof MethodArgumentTypeMismatchException e) {
      status = HttpStatus.BAD_REQUEST;
      message = e.getName() + " '" + e.getValue() + "' is not valid";
    } else if (ex instanceof HttpRequestMethodNotSupportedException e) {
      status = HttpStatus.METHOD_NOT_ALLOWED;
      String allowed =
          e.getSupportedHttpMethods() == null
              ? null
              : e.getSupportedHttpMethods().stream()
                  .map(Object::toString)
                  .collect(Collectors.joining(", "));
      message =
          request.getMethod()
              + " is not supported on "
              + request.getRequestURI()
              + (allowed == null ? "" : "; use " + allowed);
      if (allowed != null) {
        response.setHeader(HttpHeaders.ALLOW, allowed);
      }
    } else if (ex instanceof HttpMediaTypeNotSupportedException) {
      status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
      message = "send the request as Content-Type: application/json";
    } else if (ex instanceof NoResourceFoundException) {
      status = HttpStatus.NOT_FOUND;
      message =
          "no endpoint "
              + request.getMethod()
              + " "
              + request.getRequestURI()
              + "; see /v2, /v2/health/live|ready, /v2/models/{name}[/versions/{v}]"
              + "[/ready|/infer]";
    } else if (ex instanceof MaxUploadSizeExceededException) {
      status = HttpStatus.CONTENT_TOO_LARGE;
      message = "the request is too large";
    } else if (ex instanceof ErrorResponse e) {
      status = HttpStatus.valueOf(e.getStatusCode().value());
      message =
          e.getBody().getDetail() != null ? e.getBody().getDetail() : status.getReasonPhrase();
    } else {
      String incident = UUID.randomUUID().toString();
      log.error("Unexpected error on {}, incident {}", request.getRequestURI(), incident, ex);
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      message = "the server failed to handle the request; the logs name incident " + incident;
    }
    try {
      response.setStatus(status.value());
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      response.getWriter().write(json.writeValueAsString(Map.of("error", message)));
      response.getWriter().flush();
    } catch (IOException e) {
      log.debug("Could not write the error of {}: {}", request.getRequestURI(), e.getMessage());
    }
    return new ModelAndView();
  }

  private static String unreadable(HttpMessageNotReadableException ex) {
    FieldViolation first = ProblemDetailsAdvice.unreadableBody(ex).get(0);
    return ("$".equals(first.field()) ? "the request body" : first.field()) + " " + first.message();
  }
}
