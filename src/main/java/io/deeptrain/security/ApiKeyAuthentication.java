package io.deeptrain.security;

import java.util.Arrays;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request made with a valid key: it holds its own role and every role below it. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

  private final ApiKey key;

  ApiKeyAuthentication(ApiKey key) {
    super(
        Arrays.stream(Role.values())
            .filter(key.role()::covers)
            .map(r -> new SimpleGrantedAuthority(r.authority()))
            .toList());
    this.key = key;
    setAuthenticated(true);
  }

  ApiKey key() {
    return key;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return key.name();
  }
}
