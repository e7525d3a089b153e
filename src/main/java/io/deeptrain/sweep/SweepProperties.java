package io.deeptrain.sweep;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sweeps.
 *
 * @param pollInterval how often each replica releases pending trials into free slots and marks
 *     sweeps whose trials have all finished
 */
@ConfigurationProperties("deeptrain.sweeps")
record SweepProperties(@DefaultValue("1s") Duration pollInterval) {}
