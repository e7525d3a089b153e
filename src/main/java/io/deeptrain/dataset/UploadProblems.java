package io.deeptrain.dataset;

import io.deeptrain.system.ApiException;

/** Why an upload was refused; becomes a 400 or 413 problem detail. */
final class UploadProblems {

  private UploadProblems() {}

  static ApiException invalid(String message) {
    return ApiException.invalid("file", message);
  }

  static ApiException tooLarge(String message) {
    return new ApiException(ApiException.Problem.PAYLOAD_TOO_LARGE, message);
  }
}
