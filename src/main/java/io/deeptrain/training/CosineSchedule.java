package io.deeptrain.training;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

/**
 * Cosine annealing from {@code initial} at n = 0 to {@code min} at n = length - 1, then {@code
 * min}; DL4J has no cosine schedule. Public with a no-argument constructor and plain fields because
 * DL4J writes schedules into the model's JSON configuration by class name.
 */
// ISchedule, unlike IUpdater, does not make DL4J's JSON mapper read fields.
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public final class CosineSchedule implements ISchedule {

  private ScheduleType unit;
  private double initial;
  private double min;
  private int length;

  /** For DL4J's JSON deserialisation. */
  public CosineSchedule() {
    this(ScheduleType.EPOCH, 0.01, 0, 1);
  }

  public CosineSchedule(ScheduleType unit, double initial, double min, int length) {
    this.unit = unit;
    this.initial = initial;
    this.min = min;
    this.length = length;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    int n = unit == ScheduleType.ITERATION ? iteration : epoch;
    if (length <= 1) {
      return initial;
    }
    double progress = Math.min(1.0, Math.max(0, n) / (double) (length - 1));
    return min + (initial - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  @Override
  public ISchedule clone() {
    return new CosineSchedule(unit, initial, min, length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CosineSchedule other
        && unit == other.unit
        && Double.compare(initial, other.initial) == 0
        && Double.compare(min, other.min) == 0
        && length == other.length;
  }

  @Override
  public int hashCode() {
    return Objects.hash(unit, initial, min, length);
  }

  @Override
  public String toString() {
    return "CosineSchedule(" + unit + ", " + initial + " -> " + min + " over " + length + ")";
  }
}
