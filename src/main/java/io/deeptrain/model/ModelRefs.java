package io.deeptrain.model;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Model references in URLs. Endpoints take one {@code {ref}} path segment (see {@link
 * #DESCRIPTION}); the path form {@code /api/v1/models/{name}/{version}/…} is forwarded here to
 * {@code /api/v1/models/{name}:{version}/…}, so every endpoint has it without a second mapping (and
 * the OpenAPI document one path per endpoint). Alias names start with a letter, so {@code
 * /{name}/aliases/…} never matches.
 */
@Component
// Last, so every other filter has seen the request before it is forwarded.
@Order(Ordered.LOWEST_PRECEDENCE)
public class ModelRefs extends OncePerRequestFilter {

  /** The OpenAPI description of a {ref} path parameter. */
  public static final String DESCRIPTION =
      "The model: its id (UUID); `name@alias` (e.g. `iris-mlp@production`; `latest` is built in"
          + " and always the highest version); `name:version` (e.g. `iris-mlp:3`); or a bare"
          + " `name` (its `production` alias when set, else its latest version). The path form"
          + " `/api/v1/models/{name}/{version}/…` (e.g. `/api/v1/models/iris-mlp/3/classify`)"
          + " equals `name:version`.";

  public static final String EXAMPLE = "iris-mlp@production";

  private static final Pattern NAME_SLASH_VERSION =
      Pattern.compile("^/api/v1/models/([^/]+)/(\\d{1,9})(/.*)?$");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    Matcher m = NAME_SLASH_VERSION.matcher(path);
    if (!m.matches()) {
      chain.doFilter(request, response);
      return;
    }
    String target =
        "/api/v1/models/" + m.group(1) + ":" + m.group(2) + (m.group(3) == null ? "" : m.group(3));
    request.getRequestDispatcher(target).forward(request, response);
  }
}
