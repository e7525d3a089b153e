package io.deeptrain.training;

/** The run stopped because {@link TrainingControl#stopRequested()} became true. */
public class TrainingCancelledException extends RuntimeException {
  public TrainingCancelledException(String message) {
    super(message);
  }
}
