package io.deeptrain.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parameter's path into the job request, such as {@code training.learningRate} or {@code
 * spec.layers[0].units}: field names and array indexes, the notation field errors use.
 */
record ParameterPath(String text, List<Object> segments) {

  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d{1,4})]");

  /** Parses a path; throws IllegalArgumentException saying what is wrong. */
  static ParameterPath parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    List<Object> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(text);
    int at = 0;
    while (at < text.length()) {
      boolean dot = !segments.isEmpty() && text.charAt(at) == '.';
      if (dot) {
        at++;
      }
      m.region(at, text.length());
      if (!m.lookingAt()) {
        throw new IllegalArgumentException(malformed(at));
      }
      boolean field = m.group(1) != null;
      // A field comes first or after a dot; an index follows a field or an index directly.
      if (field != (segments.isEmpty() || dot)) {
        throw new IllegalArgumentException(malformed(at));
      }
      segments.add(field ? m.group(1) : Integer.parseInt(m.group(2)));
      at = m.end();
    }
    return new ParameterPath(text, List.copyOf(segments));
  }

  private static String malformed(int at) {
    return "is not a path such as training.learningRate or spec.layers[0].units (at character "
        + (at + 1)
        + ")";
  }

  /**
   * Sets the value in the request tree, creating missing objects on the way (so {@code
   * training.learningRate} works on a base without {@code training}); arrays must already hold the
   * index. Throws IllegalArgumentException saying what is missing.
   */
  void set(ObjectNode root, JsonNode value) {
    JsonNode node = root;
    StringBuilder walked = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      Object segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      Object next = last ? null : segments.get(i + 1);
      if (segment instanceof String field) {
        if (!(node instanceof ObjectNode object)) {
          throw new IllegalArgumentException(walked + " is not an object, so it has no " + field);
        }
        if (last) {
          object.set(field, value);
          return;
        }
        JsonNode child = object.get(field);
        if ((child == null || child.isNull()) && next instanceof String) {
          child = object.putObject(field);
        }
        node = child;
        walked.append(walked.isEmpty() ? "" : ".").append(field);
      } else {
        int index = (Integer) segment;
        if (!(node instanceof ArrayNode array)) {
          throw new IllegalArgumentException(walked + " is not an array in the base job");
        }
        if (index >= array.size()) {
          throw new IllegalArgumentException(
              walked + " has " + array.size() + " elements in the base job, so no [" + index + "]");
        }
        if (last) {
          array.set(index, value);
          return;
        }
        node = array.get(index);
        walked.append('[').append(index).append(']');
      }
    }
  }

  /** Whether a field error at {@code field} is about this parameter (the field or within it). */
  boolean covers(String field) {
    return field.equals(text) || field.startsWith(text + ".") || field.startsWith(text + "[");
  }
}
