package io.deeptrain.security;

import io.deeptrain.system.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the key of a request to a protected path ({@code Authorization: Bearer <key>} or {@code
 * X-API-Key}) and, when it is valid, authenticates the request with its role. A key that is sent
 * but unknown, revoked or expired is refused here with a 401; a request without one goes on
 * anonymous and is refused by authorization if its path needs a role.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

  static final String REALM = "Bearer realm=\"deeptrain\"";

  private final ApiKeyRegistry keys;

  ApiKeyAuthenticationFilter(ApiKeyRegistry keys) {
    this.keys = keys;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = SecurityResponses.path(request);
    Optional<String> token =
        AccessRules.required(request.getMethod(), path) == null
            ? Optional.empty()
            : ApiKeyFormat.fromHeaders(
                request.getHeader("Authorization"), request.getHeader("X-API-Key"));
    if (token.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    ApiKeyRegistry.Result result = keys.authenticate(token.get());
    if (result instanceof ApiKeyRegistry.Result.Accepted accepted) {
      SecurityContext context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(new ApiKeyAuthentication(accepted.key()));
      SecurityContextHolder.setContext(context);
      chain.doFilter(request, response);
      return;
    }
    String reason = ((ApiKeyRegistry.Result.Refused) result).reason();
    response.setHeader(
        "WWW-Authenticate",
        REALM
            + ", error=\"invalid_token\", error_description=\""
            + reason.replaceAll("[^ -~]|\"|\\\\", "?")
            + "\"");
    SecurityResponses.write(request, response, ApiException.Problem.UNAUTHORIZED, reason, Map.of());
  }
}
