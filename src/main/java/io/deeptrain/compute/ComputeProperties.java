package io.deeptrain.compute;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param threads native threads for one training or inference call (OpenMP, libnd4j, OpenBLAS); 1
 *     by default because on the 2-core hosts measured, one thread beat two (NOTES-compute.md); 0
 *     keeps ND4J's own choice (OMP_NUM_THREADS, else the physical cores)
 * @param requireOnednnHelpers fail startup when a CPU backend has no oneDNN layer helper attached;
 *     off by default: without helpers training is slower (CNNs ~5x) but still correct, and a
 *     deliberate {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} should not crash-loop a
 *     pod. OneDnnHelpersTests is what stops a build that loses them.
 */
@Validated
@ConfigurationProperties("deeptrain.compute")
record ComputeProperties(
    @DefaultValue("1") @Min(0) int threads, @DefaultValue("false") boolean requireOnednnHelpers) {}
