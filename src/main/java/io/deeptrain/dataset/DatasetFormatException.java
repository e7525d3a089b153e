package io.deeptrain.dataset;

/** A dataset file that cannot be read; the message names the row and column at fault. */
class DatasetFormatException extends RuntimeException {
  DatasetFormatException(String message) {
    super(message);
  }
}
