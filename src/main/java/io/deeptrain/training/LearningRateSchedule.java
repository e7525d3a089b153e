package io.deeptrain.training;

import io.deeptrain.spec.ScheduleSpec;
import io.deeptrain.spec.TrainingSpec;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Turns a {@link ScheduleSpec} into a DL4J {@link ISchedule}, which DL4J's updaters evaluate at
 * (iteration, epoch) on every step and write into the model configuration. DL4J's own schedules are
 * used where their formula is the spec's; cosine and warm-up are ours.
 *
 * <p>DL4J passes counts from 0, so n = 0 is the first epoch (or iteration): INVERSE gives c, c/2,
 * c/3, ...
 */
final class LearningRateSchedule {

  private LearningRateSchedule() {}

  /**
   * @param training resolved
   * @param iterationsPerEpoch for COSINE by iteration, whose length is the whole run
   * @return null when the spec has no schedule
   */
  static ISchedule of(TrainingSpec training, int iterationsPerEpoch) {
    ScheduleSpec s = training.schedule();
    if (s == null) {
      return null;
    }
    s = s.resolved(training.learningRate());
    double lr = training.learningRate();
    boolean byIteration = s.unit() == ScheduleSpec.Unit.ITERATION;
    ScheduleType unit = byIteration ? ScheduleType.ITERATION : ScheduleType.EPOCH;
    int total =
        byIteration
            ? (int) Math.min(Integer.MAX_VALUE, (long) training.epochs() * iterationsPerEpoch)
            : training.epochs();
    int warmup = s.warmup();
    ISchedule base =
        switch (s.type()) {
          case CONSTANT -> new FixedSchedule(lr);
          // initial / (1 + gamma * n)^power with gamma = power = 1: c/(n+1).
          case INVERSE -> new InverseSchedule(unit, s.c(), 1.0, 1.0);
          case STEP -> new StepSchedule(unit, lr, s.gamma(), s.every());
          case EXPONENTIAL -> new ExponentialSchedule(unit, lr, s.gamma());
          case COSINE -> new CosineSchedule(unit, lr, s.min(), Math.max(1, total - warmup));
        };
    return warmup > 0 ? new WarmupSchedule(unit, base, warmup) : base;
  }

  /** True when the spec's schedule counts iterations, so the rate changes within an epoch. */
  static boolean byIteration(TrainingSpec training) {
    return training.schedule() != null && training.schedule().unit() == ScheduleSpec.Unit.ITERATION;
  }
}
