package io.deeptrain.spec;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How large a spec may be, so that one request cannot ask a worker for more memory than it has.
 *
 * @param maxParameters parameters of one model (weights and biases, as the summary counts them)
 * @param maxTrainingMemory estimated memory of one training step: weights, gradients and two
 *     optimizer moments per parameter, plus each layer's activations and their gradients for a
 *     whole batch, in 32-bit floats
 */
@Validated
@ConfigurationProperties("deeptrain.specs")
public record SpecLimits(
    @DefaultValue("100000000") @Min(1) long maxParameters,
    @DefaultValue("8GB") @NotNull DataSize maxTrainingMemory) {

  static final SpecLimits DEFAULTS = new SpecLimits(100_000_000L, DataSize.ofGigabytes(8));
}
