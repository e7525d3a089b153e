package io.deeptrain.spec;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How to train: epochs, batch, optimizer with its hyperparameters, regularisation, seed and split.
 * Every field is optional; {@link #resolved()} fills in the defaults.
 */
@Schema(
    description = "Training configuration; every field is optional.",
    example =
        """
        {"epochs":60,"batchSize":16,"optimizer":"ADAM","learningRate":0.01,"seed":42,
         "schedule":{"type":"INVERSE","c":0.01},"weightDecay":0.0001,
         "gradientClipping":{"type":"NORM","threshold":1.0},
         "earlyStopping":{"metric":"test_loss","patience":5,"minDelta":0.001}}""")
public record TrainingSpec(
    @Schema(description = "Passes over the training split, 1 to 10000.", defaultValue = "20")
        Integer epochs,
    @Schema(description = "Mini-batch size, 1 to 65536.", defaultValue = "32") Integer batchSize,
    @Schema(description = "Optimizer.", defaultValue = "ADAM") Optimizer optimizer,
    @Schema(
            description =
                "Learning rate, > 0 and <= 10 (ignored by ADADELTA; the initial step of SGD_G2).",
            defaultValue = "0.01")
        Double learningRate,
    @Schema(description = "Momentum for MOMENTUM and NESTEROV, in [0, 1).", defaultValue = "0.9")
        Double momentum,
    @Schema(
            description = "Adam/Nadam/AMSGrad/AdaMax first-moment decay, in [0, 1).",
            defaultValue = "0.9")
        Double beta1,
    @Schema(
            description = "Adam/Nadam/AMSGrad/AdaMax second-moment decay, in [0, 1).",
            defaultValue = "0.999")
        Double beta2,
    @Schema(description = "Numerical stabiliser, > 0.", defaultValue = "1e-8") Double epsilon,
    @Schema(description = "RMSProp/AdaDelta decay, in [0, 1).", defaultValue = "0.95") Double rho,
    @Schema(description = "L1 penalty on weights, >= 0.", defaultValue = "0.0") Double l1,
    @Schema(description = "L2 penalty on weights, >= 0.", defaultValue = "0.0") Double l2,
    @Schema(
            description =
                "Seed for weight initialisation, split and shuffling: same seed, same run.",
            defaultValue = "42")
        Long seed,
    @Schema(
            description =
                "Fraction of rows held out for testing, in (0, 0.9]; datasets with their own test"
                    + " split (MNIST-family, CIFAR-10) ignore it.",
            defaultValue = "0.2")
        Double testFraction,
    @Schema(
            description =
                "Train on a seeded random subset of at most this many training examples (quick"
                    + " experiments); unset: all.")
        Integer maxTrainExamples,
    @Schema(description = "Evaluate on at most this many test examples; unset: all.")
        Integer maxTestExamples,
    @Schema(description = "Learning-rate schedule; unset: constant.") ScheduleSpec schedule,
    @Schema(
            description =
                "Decoupled weight decay (w -= lr * weightDecay * w each step), >= 0 and <= 1;"
                    + " not together with l2.",
            defaultValue = "0.0")
        Double weightDecay,
    @Schema(description = "Gradient clipping; unset: none.") GradientClipping gradientClipping,
    @Schema(description = "Early stopping; unset: train every epoch and keep the last model.")
        EarlyStoppingSpec earlyStopping) {

  public static final int DEFAULT_EPOCHS = 20;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final double DEFAULT_LEARNING_RATE = 0.01;

  /** A copy with every missing field set to its default. */
  public TrainingSpec resolved() {
    return new TrainingSpec(
        epochs == null ? DEFAULT_EPOCHS : epochs,
        batchSize == null ? DEFAULT_BATCH_SIZE : batchSize,
        optimizer == null ? Optimizer.ADAM : optimizer,
        learningRate == null ? DEFAULT_LEARNING_RATE : learningRate,
        momentum == null ? 0.9 : momentum,
        beta1 == null ? 0.9 : beta1,
        beta2 == null ? 0.999 : beta2,
        epsilon == null ? 1e-8 : epsilon,
        rho == null ? 0.95 : rho,
        l1 == null ? 0.0 : l1,
        l2 == null ? 0.0 : l2,
        seed == null ? 42L : seed,
        testFraction == null ? 0.2 : testFraction,
        maxTrainExamples,
        maxTestExamples,
        schedule == null || schedule.type() == null
            ? schedule
            : schedule.resolved(learningRate == null ? DEFAULT_LEARNING_RATE : learningRate),
        weightDecay == null ? 0.0 : weightDecay,
        gradientClipping,
        earlyStopping == null ? null : earlyStopping.resolved());
  }

  /** All defaults. */
  public static TrainingSpec defaults() {
    return new TrainingSpec(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null)
        .resolved();
  }
}
