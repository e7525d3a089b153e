package io.deeptrain.inference;

import io.deeptrain.system.ApiException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * One input tensor of an Open Inference Protocol request, checked against its declared shape and
 * datatype: numbers (every numeric datatype, as doubles, row-major) or, for BYTES, strings.
 *
 * @param shape the declared shape, every dimension known
 * @param numbers the elements in row-major order (null for BYTES); BOOL as 0 and 1
 * @param strings the elements of a BYTES tensor (null otherwise)
 */
record OipTensor(
    String name, Datatype datatype, long[] shape, double[] numbers, List<String> strings) {

  /** The protocol's tensor datatypes. */
  enum Datatype {
    BOOL(0, 1),
    UINT8(0, 255),
    UINT16(0, 65_535),
    UINT32(0, 4_294_967_295L),
    UINT64(BigInteger.ZERO, new BigInteger("18446744073709551615")),
    INT8(-128, 127),
    INT16(-32_768, 32_767),
    INT32(Integer.MIN_VALUE, Integer.MAX_VALUE),
    INT64(BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)),
    FP16(65_504),
    FP32(Float.MAX_VALUE),
    FP64(Double.MAX_VALUE),
    BYTES(0);

    private final BigInteger min;
    private final BigInteger max;
    private final double maxMagnitude;

    Datatype(long min, long max) {
      this(BigInteger.valueOf(min), BigInteger.valueOf(max));
    }

    Datatype(BigInteger min, BigInteger max) {
      this.min = min;
      this.max = max;
      this.maxMagnitude = 0;
    }

    Datatype(double maxMagnitude) {
      this.min = null;
      this.max = null;
      this.maxMagnitude = maxMagnitude;
    }

    boolean integral() {
      return min != null && this != BOOL;
    }

    boolean floating() {
      return this == FP16 || this == FP32 || this == FP64;
    }

    static String names() {
      return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
  }

  /** Elements in a request, at most: bounds the memory one request can take. */
  static final long MAX_ELEMENTS = 50_000_000;

  /** Elements the declared shape holds. */
  long elements() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The first dimension, the batch size. */
  int batch() {
    return (int) shape[0];
  }

  /** The shape as the protocol writes it, for messages. */
  String shapeText() {
    return Arrays.toString(shape);
  }

  /**
   * Reads one request input: datatype among the protocol's, shape of known non-negative dimensions,
   * and data flat (row-major) or nested exactly as the shape, each element of the datatype.
   *
   * @throws ApiException 400 naming the input and what is wrong
   */
  static OipTensor parse(OipInferRequest.Input input) {
    String name = input.name();
    if (name == null || name.isBlank()) {
      throw invalid("an input has no name; every input needs name, shape, datatype and data");
    }
    String at = "input '" + name + "'";
    Datatype datatype;
    try {
      datatype = Datatype.valueOf(input.datatype() == null ? "" : input.datatype());
    } catch (IllegalArgumentException e) {
      throw invalid(
          at
              + ": datatype "
              + (input.datatype() == null ? "is required" : "'" + input.datatype() + "' is unknown")
              + "; allowed: "
              + Datatype.names());
    }
    List<Long> declared = input.shape();
    if (declared == null || declared.isEmpty()) {
      throw invalid(at + ": shape is required, e.g. [1, 4] for one row of 4 values");
    }
    long[] shape = new long[declared.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      Long d = declared.get(i);
      if (d == null || d < 0) {
        throw invalid(
            at + ": shape " + declared + " must list sizes >= 0 (-1 is for metadata only)");
      }
      shape[i] = d;
      if (d > 0 && elements > MAX_ELEMENTS / d) {
        throw new ApiException(
            ApiException.Problem.PAYLOAD_TOO_LARGE,
            at + ": shape " + declared + " has more than " + MAX_ELEMENTS + " elements");
      }
      elements *= d;
    }
    JsonNode data = input.data();
    if (data == null || data.isNull()) {
      throw invalid(at + ": data is required");
    }
    if (!data.isArray()) {
      throw invalid(at + ": data must be an array (flat in row-major order, or nested)");
    }
    List<JsonNode> flat = new ArrayList<>((int) elements);
    boolean nested = false;
    for (JsonNode e : data) {
      nested |= e.isArray();
    }
    String shapeText = Arrays.toString(shape);
    if (nested) {
      flattenNested(at, data, shape, 0, "", flat);
    } else {
      if (data.size() != elements) {
        throw invalid(
            at
                + ": shape "
                + shapeText
                + " has "
                + elements
                + " elements but data has "
                + data.size());
      }
      data.forEach(flat::add);
    }
    if (datatype == Datatype.BYTES) {
      List<String> strings = new ArrayList<>(flat.size());
      for (int i = 0; i < flat.size(); i++) {
        JsonNode e = flat.get(i);
        if (!e.isString()) {
          throw invalid(
              at
                  + ": element "
                  + index(i, shape, nested)
                  + " must be a string for BYTES (base64 for binary content), got "
                  + e);
        }
        strings.add(e.stringValue());
      }
      return new OipTensor(name, datatype, shape, null, strings);
    }
    double[] numbers = new double[flat.size()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = number(at, datatype, flat.get(i), index(i, shape, nested));
    }
    return new OipTensor(name, datatype, shape, numbers, null);
  }

  /** Checks nested data against the shape level by level, collecting the elements in order. */
  private static void flattenNested(
      String at, JsonNode node, long[] shape, int depth, String path, List<JsonNode> out) {
    if (depth == shape.length) {
      if (node.isArray()) {
        throw invalid(
            at
                + ": data"
                + path
                + " is nested deeper than shape "
                + Arrays.toString(shape)
                + " (rank "
                + shape.length
                + ")");
      }
      out.add(node);
      return;
    }
    if (!node.isArray()) {
      throw invalid(
          at
              + ": data"
              + path
              + " must be an array of "
              + shape[depth]
              + " (dimension "
              + depth
              + " of shape "
              + Arrays.toString(shape)
              + "), got "
              + node);
    }
    if (node.size() != shape[depth]) {
      throw invalid(
          at
              + ": data"
              + path
              + " has "
              + node.size()
              + " elements but dimension "
              + depth
              + " of shape "
              + Arrays.toString(shape)
              + " is "
              + shape[depth]);
    }
    for (int i = 0; i < node.size(); i++) {
      flattenNested(at, node.get(i), shape, depth + 1, path + "[" + i + "]", out);
    }
  }

  private static double number(String at, Datatype type, JsonNode e, String where) {
    if (type == Datatype.BOOL) {
      if (!e.isBoolean()) {
        throw invalid(at + ": element " + where + " must be true or false for BOOL, got " + e);
      }
      return e.booleanValue() ? 1 : 0;
    }
    if (!e.isNumber()) {
      throw invalid(at + ": element " + where + " must be a number for " + type + ", got " + e);
    }
    if (type.integral()) {
      BigDecimal value = e.decimalValue();
      BigInteger integer;
      try {
        integer = value.toBigIntegerExact();
      } catch (ArithmeticException notWhole) {
        throw invalid(
            at + ": element " + where + " must be a whole number for " + type + ", got " + e);
      }
      if (integer.compareTo(type.min) < 0 || integer.compareTo(type.max) > 0) {
        throw invalid(
            at
                + ": element "
                + where
                + " = "
                + e
                + " is outside "
                + type
                + "'s range "
                + type.min
                + " to "
                + type.max);
      }
      return integer.doubleValue();
    }
    double value = e.doubleValue();
    if (!Double.isFinite(value) || Math.abs(value) > type.maxMagnitude) {
      throw invalid(
          at
              + ": element "
              + where
              + " = "
              + e
              + " does not fit "
              + type
              + " (finite values only)");
    }
    return value;
  }

  /** An element's position as the client wrote it: [i] in flat data, [i][j]... in nested. */
  private static String index(int flat, long[] shape, boolean nested) {
    if (!nested) {
      return "[" + flat + "]";
    }
    StringBuilder sb = new StringBuilder();
    long rest = flat;
    long[] idx = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
      rest = shape[d] == 0 ? 0 : rest / shape[d];
    }
    for (long i : idx) {
      sb.append('[').append(i).append(']');
    }
    return sb.toString();
  }

  static ApiException invalid(String message) {
    return new ApiException(ApiException.Problem.INVALID_REQUEST, message);
  }

  /** The elements of row {@code r} of the first dimension, as floats. */
  float[] row(int r) {
    int size = (int) (elements() / shape[0]);
    float[] out = new float[size];
    for (int k = 0; k < size; k++) {
      out[k] = (float) numbers[r * size + k];
    }
    return out;
  }
}
