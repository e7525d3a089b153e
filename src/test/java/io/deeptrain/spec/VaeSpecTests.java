package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VaeSpecTests {

  static List<FieldViolation> validate(VaeSpec spec) {
    List<FieldViolation> out = new ArrayList<>();
    spec.validate("spec", out);
    return out;
  }

  static List<FieldViolation> fits(VaeSpec spec, List<Integer> shape) {
    List<FieldViolation> out = new ArrayList<>();
    spec.checkFits(shape, "spec", out);
    return out;
  }

  @Test
  void shouldAcceptTheDefaultsAndNameEachBadFieldWithWhatIsAllowed() {
    assertThat(validate(new VaeSpec(null, null, null, null, null, null))).isEmpty();
    List<FieldViolation> bad =
        validate(
            new VaeSpec(
                VaeSpec.Architecture.CONVOLUTIONAL, List.of(32, 0, 600), 0, null, null, -1.0));
    assertThat(bad)
        .extracting(FieldViolation::field)
        .containsExactly(
            "spec.hidden[1]", "spec.hidden[2]", "spec.latentSize", "spec.latentWeight");
    assertThat(bad.get(1).message()).contains("1 to 512 channels");
    assertThat(bad.get(2).message()).contains("1 to 1024");
    assertThat(validate(new VaeSpec(null, List.of(), null, null, null, null)).get(0).message())
        .contains("1 to 8 layer sizes");
    assertThat(validate(new VaeSpec(null, List.of(5000), null, null, null, null)).get(0).message())
        .contains("1 to 4096 units");
  }

  @Test
  void shouldRefuseConvolutionsThatCannotHalveTheImageAndTabularData() {
    VaeSpec three =
        new VaeSpec(VaeSpec.Architecture.CONVOLUTIONAL, List.of(8, 8, 8), 8, null, null, null);
    assertThat(fits(three, List.of(1, 28, 28)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("spec.hidden");
              assertThat(v.message())
                  .contains("height 28 cannot be halved 3 times", "at most 2 convolutions");
            });
    assertThat(fits(three, List.of(3, 32, 32))).isEmpty();
    assertThat(
            fits(new VaeSpec(null, List.of(8, 8, 8), null, null, null, null), List.of(1, 28, 28)))
        .as("dense layers take any size")
        .isEmpty();
    assertThat(fits(new VaeSpec(null, null, null, null, null, null), List.of(4)))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("choose an image dataset"));
  }
}
