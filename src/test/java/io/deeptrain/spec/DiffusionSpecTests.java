package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiffusionSpecTests {

  static DiffusionSpec spec(Integer t, List<Integer> channels, Integer embedding) {
    return new DiffusionSpec(t, null, channels, embedding);
  }

  static List<FieldViolation> validate(DiffusionSpec spec) {
    List<FieldViolation> out = new ArrayList<>();
    spec.validate("spec", out);
    return out;
  }

  static List<FieldViolation> fits(DiffusionSpec spec, List<Integer> shape) {
    List<FieldViolation> out = new ArrayList<>();
    spec.checkFits(shape, "spec", out);
    return out;
  }

  @Test
  void shouldAcceptTheDefaults() {
    assertThat(validate(new DiffusionSpec(null, null, null, null))).isEmpty();
    assertThat(fits(new DiffusionSpec(null, null, null, null), List.of(1, 28, 28))).isEmpty();
  }

  @Test
  void shouldNameEveryFieldOutOfBounds() {
    List<FieldViolation> out = validate(spec(1, List.of(0, 32, 600), 7));

    assertThat(out)
        .extracting(FieldViolation::field)
        .containsExactlyInAnyOrder(
            "spec.timesteps", "spec.channels[0]", "spec.channels[2]", "spec.timeEmbeddingSize");
    assertThat(out.get(0).message()).contains("between 2 and 4000");
    assertThat(validate(spec(5000, List.of(), 64)))
        .extracting(FieldViolation::field)
        .containsExactlyInAnyOrder("spec.timesteps", "spec.channels");
    assertThat(validate(spec(100, List.of(8, 8, 8, 8, 8), 64)).get(0).message())
        .contains("1 to 4 levels");
  }

  @Test
  void shouldFitFashionMnistWithUpToThreeLevels() {
    assertThat(fits(spec(100, List.of(8), 8), List.of(1, 28, 28))).isEmpty();
    assertThat(fits(spec(100, List.of(8, 16, 32), 8), List.of(1, 28, 28))).isEmpty();
    List<FieldViolation> four = fits(spec(100, List.of(8, 16, 32, 64), 8), List.of(1, 28, 28));

    assertThat(four).singleElement().extracting(FieldViolation::field).isEqualTo("spec.channels");
    assertThat(four.get(0).message())
        .contains("28x28 images cannot be halved exactly 3 times")
        .contains("use 1 to 3 levels");
  }

  @Test
  void shouldRefuseTabularDataAndOddSizes() {
    assertThat(fits(spec(100, List.of(8, 16), 8), List.of(4)).get(0).message())
        .contains("needs image data");
    assertThat(fits(spec(100, List.of(8, 16), 8), List.of(3, 32, 27)).get(0).message())
        .contains("32x27 images cannot be halved exactly 1 time")
        .contains("use a single level");
    assertThat(fits(spec(100, List.of(8, 16, 32, 64), 8), List.of(3, 32, 32))).isEmpty();
  }
}
