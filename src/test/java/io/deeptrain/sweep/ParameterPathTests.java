package io.deeptrain.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ParameterPathTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void shouldSetSpecPathsAndCreateMissingObjects() {
    ObjectNode job =
        (ObjectNode)
            JSON.readTree(
                """
                {"dataset":"iris","spec":{"type":"MLP","layers":[{"units":16},{"units":8}]},
                 "training":null}""");

    ParameterPath.parse("spec.layers[1].units").set(job, JsonNodeFactory.instance.numberNode(32));
    ParameterPath.parse("training.learningRate").set(job, JsonNodeFactory.instance.numberNode(0.1));

    assertThat(job.toString())
        .isEqualTo(
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":16},"
                + "{\"units\":32}]},\"training\":{\"learningRate\":0.1}}");
  }

  @Test
  void shouldSayWhatIsMissing() {
    ObjectNode job = (ObjectNode) JSON.readTree("{\"spec\":{\"layers\":[{\"units\":16}]}}");

    assertThatThrownBy(
            () ->
                ParameterPath.parse("spec.layers[3].units")
                    .set(job, JsonNodeFactory.instance.numberNode(1)))
        .hasMessage("spec.layers has 1 elements in the base job, so no [3]");
  }

  @Test
  void shouldRefuseMalformedPaths() {
    for (String bad :
        new String[] {"", "training.", ".x", "a..b", "[0].x", "a.[0]", "a b", "a[x]"}) {
      assertThatThrownBy(() -> ParameterPath.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(ParameterPath.parse("spec.layers[0][1].units").segments())
        .containsExactly("spec", "layers", 0, 1, "units");
  }

  @Test
  void shouldCoverErrorsAtOrInsideThePath() {
    ParameterPath layer = ParameterPath.parse("spec.layers[0]");
    assertThat(layer.covers("spec.layers[0]")).isTrue();
    assertThat(layer.covers("spec.layers[0].units")).isTrue();
    assertThat(layer.covers("spec.layers[01]")).isFalse();
    assertThat(layer.covers("spec.layers")).isFalse();
  }
}
