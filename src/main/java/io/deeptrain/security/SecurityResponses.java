package io.deeptrain.security;

import io.deeptrain.system.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the refusals made before a controller runs: an RFC 9457 problem detail shaped like {@code
 * ProblemDetailsAdvice}'s on the API, {@code {"error": "..."}} on the Open Inference Protocol's
 * {@code /v2} paths.
 */
final class SecurityResponses {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SecurityResponses() {}

  static void write(
      HttpServletRequest request,
      HttpServletResponse response,
      ApiException.Problem problem,
      String detail,
      Map<String, Object> extensions)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    String contentType;
    if (isOip(request)) {
      body.put("error", detail);
      contentType = "application/json"; // JSON is UTF-8 (RFC 8259); no charset parameter
    } else {
      body.put("type", problem.typeUri());
      body.put("title", problem.title());
      body.put("status", problem.status().value());
      body.put("detail", detail);
      body.put("instance", request.getRequestURI());
      body.putAll(extensions);
      contentType = "application/problem+json";
    }
    response.setStatus(problem.status().value());
    response.setContentType(contentType);
    response.getOutputStream().write(JSON.writeValueAsBytes(body));
    response.flushBuffer();
  }

  static String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return context != null && !context.isEmpty() && uri.startsWith(context)
        ? uri.substring(context.length())
        : uri;
  }

  private static boolean isOip(HttpServletRequest request) {
    String path = path(request);
    return path.equals("/v2") || path.startsWith("/v2/");
  }
}
