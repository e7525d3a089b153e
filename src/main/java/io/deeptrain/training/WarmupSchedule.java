package io.deeptrain.training;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

/**
 * Linear warm-up: {@code peak * (n + 1) / warmup} for the first {@code warmup} units, then the base
 * schedule from its own start (n - warmup), so a decay begins after the warm-up rather than during
 * it. DL4J's {@code RampSchedule} counts iterations only and does not shift the base.
 */
// ISchedule, unlike IUpdater, does not make DL4J's JSON mapper read fields.
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public final class WarmupSchedule implements ISchedule {

  private ScheduleType unit;
  private ISchedule base;
  private int warmup;
  private double peak;

  /** For DL4J's JSON deserialisation. */
  public WarmupSchedule() {}

  public WarmupSchedule(ScheduleType unit, ISchedule base, int warmup) {
    this.unit = unit;
    this.base = base;
    this.warmup = warmup;
    this.peak = base.valueAt(0, 0);
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    boolean byIteration = unit == ScheduleType.ITERATION;
    int n = byIteration ? iteration : epoch;
    if (n < warmup) {
      return peak * (n + 1) / warmup;
    }
    return byIteration
        ? base.valueAt(iteration - warmup, epoch)
        : base.valueAt(iteration, epoch - warmup);
  }

  @Override
  public ISchedule clone() {
    WarmupSchedule copy = new WarmupSchedule();
    copy.unit = unit;
    copy.base = base.clone();
    copy.warmup = warmup;
    copy.peak = peak;
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupSchedule other
        && unit == other.unit
        && warmup == other.warmup
        && Double.compare(peak, other.peak) == 0
        && Objects.equals(base, other.base);
  }

  @Override
  public int hashCode() {
    return Objects.hash(unit, base, warmup, peak);
  }

  @Override
  public String toString() {
    return "WarmupSchedule(" + unit + ", " + warmup + " to " + peak + ", then " + base + ")";
  }
}
