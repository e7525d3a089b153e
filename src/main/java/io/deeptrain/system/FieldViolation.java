package io.deeptrain.system;

/**
 * One thing wrong with a request, named by its JSON path ({@code spec.layers[1].units}) and saying
 * what is allowed.
 */
public record FieldViolation(String field, String message) {

  @Override
  public String toString() {
    return field + " " + message;
  }
}
