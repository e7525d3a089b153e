package io.deeptrain.security;

import io.deeptrain.system.ApiException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Stateless token authentication: no sessions, no cookies, hence no CSRF protection to need. With
 * deeptrain.security.enabled=false every request is allowed (open mode, said loudly at startup);
 * the JSON body limit ({@link JsonBodyLimit}) applies in both modes, the inference rate limit only
 * to keys.
 */
@Configuration(proxyBeanMethods = false)
// Contexts without a web server (the queue tests, tools) have no HttpSecurity and need no filters.
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties props, ApiKeyRegistry keys)
      throws Exception {
    http.csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable);
    if (!props.enabled()) {
      log.warn(
          "Security is OFF (deeptrain.security.enabled=false): every request is allowed without an"
              + " API key. Use this for local work only; set deeptrain.security.enabled=true to"
              + " require keys.");
      http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
      return http.build();
    }
    log.info(
        "Security is ON: API requests need a key ({} configured in deeptrain.security.*)",
        (props.adminKey().isBlank() ? 0 : 1) + props.keys().size());
    http.authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(
                        DispatcherType.ERROR, DispatcherType.ASYNC, DispatcherType.FORWARD)
                    .permitAll()
                    .anyRequest()
                    .access((auth, context) -> decide(auth.get(), context.getRequest())))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (request, response, ex) -> {
                          Role needed = needed(request);
                          response.setHeader("WWW-Authenticate", ApiKeyAuthenticationFilter.REALM);
                          SecurityResponses.write(
                              request,
                              response,
                              ApiException.Problem.UNAUTHORIZED,
                              request.getMethod()
                                  + " "
                                  + SecurityResponses.path(request)
                                  + " needs an API key with the "
                                  + needed.label()
                                  + " role: send Authorization: Bearer <key>",
                              Map.of("requiredRole", needed.label()));
                        })
                    .accessDeniedHandler(
                        (request, response, ex) -> {
                          Role needed = needed(request);
                          Authentication auth =
                              org.springframework.security.core.context.SecurityContextHolder
                                  .getContext()
                                  .getAuthentication();
                          String has =
                              auth instanceof ApiKeyAuthentication k
                                  ? "; key '"
                                      + k.key().name()
                                      + "' has the "
                                      + k.key().role().label()
                                      + " role"
                                  : "";
                          response.setHeader(
                              "WWW-Authenticate",
                              ApiKeyAuthenticationFilter.REALM + ", error=\"insufficient_scope\"");
                          SecurityResponses.write(
                              request,
                              response,
                              ApiException.Problem.FORBIDDEN,
                              request.getMethod()
                                  + " "
                                  + SecurityResponses.path(request)
                                  + " needs the "
                                  + needed.label()
                                  + " role"
                                  + has,
                              Map.of("requiredRole", needed.label()));
                        }))
        .addFilterBefore(new ApiKeyAuthenticationFilter(keys), AuthorizationFilter.class)
        .addFilterAfter(
            new InferenceRateLimit(props.inferenceRate(), System::nanoTime),
            AuthorizationFilter.class);
    return http.build();
  }

  private static AuthorizationDecision decide(Authentication auth, HttpServletRequest request) {
    Role needed = AccessRules.required(request.getMethod(), SecurityResponses.path(request));
    if (needed == null) {
      return new AuthorizationDecision(true);
    }
    return new AuthorizationDecision(
        auth instanceof ApiKeyAuthentication key && key.key().role().covers(needed));
  }

  private static Role needed(HttpServletRequest request) {
    Role needed = AccessRules.required(request.getMethod(), SecurityResponses.path(request));
    return needed == null ? Role.READER : needed;
  }
}
