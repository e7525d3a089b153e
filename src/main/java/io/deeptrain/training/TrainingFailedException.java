package io.deeptrain.training;

/** The run cannot succeed; the message tells a person what happened and what to change. */
public class TrainingFailedException extends RuntimeException {
  public TrainingFailedException(String message) {
    super(message);
  }

  public TrainingFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
