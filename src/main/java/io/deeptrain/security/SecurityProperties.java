package io.deeptrain.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the API, and the limits on any one caller.
 *
 * @param enabled false: open mode, every request is allowed (local use); true: every API request
 *     needs a key
 * @param adminKey a bootstrap admin key given as-is (e.g. from a Kubernetes Secret through the
 *     environment variable DEEPTRAIN_ADMIN_KEY); empty: none
 * @param keys keys given by configuration, by the SHA-256 of their value
 * @param inferenceRate per-key token bucket on inference POSTs (off in open mode)
 * @param maxJsonBodySize largest JSON body on the API outside inference, which has its own limit
 *     (deeptrain.inference.max-request-size)
 */
@Validated
@ConfigurationProperties("deeptrain.security")
public record SecurityProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("") String adminKey,
    @DefaultValue @Valid @NotNull List<ConfiguredKey> keys,
    @DefaultValue @Valid @NotNull RateLimit inferenceRate,
    @DefaultValue("1MB") @NotNull DataSize maxJsonBodySize) {

  /**
   * @param name shown in key listings and logs
   * @param role READER, TRAINER or ADMIN
   * @param hash lower-case hex SHA-256 of the key ({@code printf %s "$KEY" | sha256sum})
   * @param expiresAt optional instant after which the key is refused
   */
  public record ConfiguredKey(
      @NotBlank String name,
      @NotNull Role role,
      @NotNull @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex digits (SHA-256)")
          String hash,
      Instant expiresAt) {}

  /**
   * @param requestsPerSecond tokens added per second; 0 turns the limit off
   * @param burst bucket size: requests a key may make at once after being idle
   */
  public record RateLimit(
      @DefaultValue("50") @DecimalMin("0") @DecimalMax("1000000") double requestsPerSecond,
      @DefaultValue("100") @Min(1) @Max(1_000_000) int burst) {

    boolean on() {
      return requestsPerSecond > 0;
    }
  }
}
