package io.deeptrain.inference;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param cacheSize loaded models kept in memory (least recently used evicted)
 * @param maxInstances instances per classify request
 */
@Validated
@ConfigurationProperties("deeptrain.inference")
public record InferenceProperties(
    @DefaultValue("16") @Min(1) @Max(1024) int cacheSize,
    @DefaultValue("4096") @Min(1) @Max(1_000_000) int maxInstances) {}
