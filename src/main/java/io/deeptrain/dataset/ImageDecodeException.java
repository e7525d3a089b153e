package io.deeptrain.dataset;

/** Bytes that are not a PNG or JPEG image this service can read; the message says why. */
public class ImageDecodeException extends RuntimeException {
  public ImageDecodeException(String message) {
    super(message);
  }
}
