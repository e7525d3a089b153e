package io.deeptrain.job;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Live job event streams ({@code GET /api/v1/jobs/{id}/events}).
 *
 * @param pollInterval how often one shared thread reads every open stream's job and new metric
 *     points from PostgreSQL (so a stream sees what any replica writes)
 * @param maxStreams open streams per replica; one more gets 503
 * @param heartbeat a comment line this often keeps proxies from closing an idle stream
 * @param maxDuration a stream is closed after this long; the browser reconnects with Last-Event-ID
 * @param batchSize metric points per {@code metric} event at most
 */
@Validated
@ConfigurationProperties("deeptrain.events")
public record EventProperties(
    @DefaultValue("500ms") Duration pollInterval,
    @DefaultValue("64") @Min(1) @Max(10_000) int maxStreams,
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("30m") Duration maxDuration,
    @DefaultValue("1000") @Min(1) @Max(100_000) int batchSize) {}
