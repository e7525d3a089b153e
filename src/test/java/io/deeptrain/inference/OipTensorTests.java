package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.system.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OipTensorTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static OipTensor parse(String datatype, List<Long> shape, String data) {
    JsonNode node = data == null ? null : JSON.readTree(data);
    return OipTensor.parse(new OipInferRequest.Input("input", shape, datatype, null, node));
  }

  private static String error(String datatype, List<Long> shape, String data) {
    try {
      parse(datatype, shape, data);
    } catch (ApiException e) {
      assertThat(e.problem()).isEqualTo(ApiException.Problem.INVALID_REQUEST);
      return e.getMessage();
    }
    throw new AssertionError("no error for " + datatype + " " + shape + " " + data);
  }

  @Test
  void shouldReadFlatDataInRowMajorOrder() {
    OipTensor t = parse("FP32", List.of(2L, 3L), "[1, 2, 3, 4.5, 5, 6]");
    assertThat(t.numbers()).containsExactly(1, 2, 3, 4.5, 5, 6);
    assertThat(t.batch()).isEqualTo(2);
    assertThat(t.row(1)).containsExactly(4.5f, 5f, 6f);
  }

  @Test
  void shouldReadNestedDataLikeTheSameFlatData() {
    OipTensor nested = parse("FP64", List.of(2L, 2L, 2L), "[[[1,2],[3,4]],[[5,6],[7,8]]]");
    OipTensor flat = parse("FP64", List.of(2L, 2L, 2L), "[1,2,3,4,5,6,7,8]");
    assertThat(nested.numbers()).containsExactly(flat.numbers());
  }

  @ParameterizedTest
  @CsvSource({
    "INT8, -128, 127, 128",
    "INT16, -32768, 32767, 32768",
    "INT32, -2147483648, 2147483647, 2147483648",
    "INT64, -9223372036854775808, 9223372036854775807, 9223372036854775808",
    "UINT8, 0, 255, 256",
    "UINT16, 0, 65535, 65536",
    "UINT32, 0, 4294967295, 4294967296",
    "UINT64, 0, 18446744073709551615, 18446744073709551616"
  })
  void shouldAcceptIntegersInRangeOnly(String type, String min, String max, String over) {
    OipTensor t = parse(type, List.of(2L), "[" + min + "," + max + "]");
    assertThat(t.numbers()[0]).isEqualTo(Double.parseDouble(min));
    assertThat(t.numbers()[1]).isEqualTo(Double.parseDouble(max));
    assertThat(error(type, List.of(1L), "[" + over + "]"))
        .contains("input 'input'", "element [0]", "outside " + type + "'s range", max);
    assertThat(error(type, List.of(1L), "[1.5]")).contains("must be a whole number for " + type);
    if (min.equals("0")) {
      assertThat(error(type, List.of(1L), "[-1]")).contains("outside");
    }
  }

  @Test
  void shouldAcceptWholeNumbersWrittenWithAFraction() {
    assertThat(parse("INT32", List.of(1L), "[3.0]").numbers()).containsExactly(3);
  }

  @Test
  void shouldReadFloatsAndRefuseOnesThatDoNotFit() {
    assertThat(parse("FP16", List.of(1L), "[0.5]").numbers()).containsExactly(0.5);
    assertThat(parse("FP32", List.of(1L), "[-2]").numbers()).containsExactly(-2);
    assertThat(error("FP16", List.of(1L), "[70000]")).contains("does not fit FP16");
    assertThat(error("FP32", List.of(1L), "[1e39]")).contains("does not fit FP32");
    assertThat(parse("FP64", List.of(1L), "[1e39]").numbers()).containsExactly(1e39);
  }

  @Test
  void shouldReadBoolsAsZeroAndOne() {
    assertThat(parse("BOOL", List.of(2L), "[true,false]").numbers()).containsExactly(1, 0);
    assertThat(error("BOOL", List.of(1L), "[1]")).contains("must be true or false for BOOL");
  }

  @Test
  void shouldReadBytesAsStrings() {
    OipTensor t = parse("BYTES", List.of(2L), "[\"aGk=\", \"hello\"]");
    assertThat(t.strings()).containsExactly("aGk=", "hello");
    assertThat(t.numbers()).isNull();
    assertThat(error("BYTES", List.of(1L), "[3]")).contains("must be a string for BYTES");
  }

  @Test
  void shouldNameTheElementThatIsNotANumber() {
    assertThat(error("FP32", List.of(2L, 2L), "[[1,2],[3,\"x\"]]"))
        .contains("element [1][1] must be a number for FP32, got \"x\"");
    assertThat(error("FP32", List.of(3L), "[1,null,3]")).contains("element [1]");
  }

  @Test
  void shouldReportWhenFlatDataDoesNotMatchTheShape() {
    assertThat(error("FP32", List.of(2L, 4L), "[1,2,3]"))
        .isEqualTo("input 'input': shape [2, 4] has 8 elements but data has 3");
  }

  @Test
  void shouldReportWhereNestedDataDoesNotMatchTheShape() {
    assertThat(error("FP32", List.of(2L, 3L), "[[1,2,3],[4,5]]"))
        .contains("data[1] has 2 elements but dimension 1 of shape [2, 3] is 3");
    assertThat(error("FP32", List.of(3L, 2L), "[[1,2],[3,4]]"))
        .contains("data has 2 elements but dimension 0 of shape [3, 2] is 3");
    assertThat(error("FP32", List.of(2L, 2L), "[[1,2],3]"))
        .contains("data[1] must be an array of 2");
    assertThat(error("FP32", List.of(2L), "[[1],[2]]")).contains("nested deeper than shape [2]");
  }

  @Test
  void shouldRequireDatatypeShapeAndData() {
    assertThat(error("FP8", List.of(1L), "[1]"))
        .contains("datatype 'FP8' is unknown", "FP32", "BYTES", "UINT64");
    assertThat(error(null, List.of(1L), "[1]")).contains("datatype is required");
    assertThat(error("FP32", null, "[1]")).contains("shape is required");
    assertThat(error("FP32", List.of(-1L, 4L), "[1]")).contains("must list sizes >= 0");
    assertThat(error("FP32", List.of(1L), null)).contains("data is required");
    assertThat(error("FP32", List.of(1L), "{\"a\":1}")).contains("data must be an array");
    assertThatThrownBy(
            () -> OipTensor.parse(new OipInferRequest.Input(null, List.of(1L), "FP32", null, null)))
        .hasMessageContaining("an input has no name");
  }

  @Test
  void shouldRefuseShapesTooLargeForOneRequestAs413() {
    assertThatThrownBy(() -> parse("FP32", List.of(100_000L, 100_000L), "[1]"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.problem()).isEqualTo(ApiException.Problem.PAYLOAD_TOO_LARGE));
  }
}
