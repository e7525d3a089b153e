package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.system.FieldViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user is told about a GAN spec at submit time. */
class GanSpecTests {

  final SpecValidator validator = new SpecValidator();
  final SpecGeometry geometry = new SpecGeometry();

  static GanSpec gan(
      GanSpec.Architecture architecture, List<Integer> generator, List<Integer> discriminator) {
    return new GanSpec(
        architecture,
        null,
        new GanSpec.Network(generator, null, null),
        new GanSpec.Network(discriminator, null, null),
        null,
        null);
  }

  @Test
  void shouldAcceptTheDefaultsOfBothKinds() {
    for (GanSpec.Architecture kind : GanSpec.Architecture.values()) {
      GanSpec spec = new GanSpec(kind, null, null, null, null, null);
      assertThat(validator.validate(spec, "spec")).isEmpty();
      assertThat(geometry.check(spec, List.of(1, 28, 28), 10, "spec")).isEmpty();
      assertThat(geometry.check(spec, List.of(3, 32, 32), 10, "spec")).isEmpty();
    }
  }

  @Test
  void shouldNameEveryFieldOutOfBounds() {
    GanSpec spec =
        new GanSpec(
            GanSpec.Architecture.DENSE,
            0,
            new GanSpec.Network(List.of(256, 0), 0.0, 1.0),
            new GanSpec.Network(List.of(), 2.0, -0.1),
            0.5,
            11);
    List<FieldViolation> out = validator.validate(spec, "spec");
    assertThat(out)
        .extracting(FieldViolation::field)
        .containsExactlyInAnyOrder(
            "spec.latentSize",
            "spec.generator.hidden[1]",
            "spec.generator.learningRate",
            "spec.generator.beta1",
            "spec.discriminator.hidden",
            "spec.discriminator.learningRate",
            "spec.discriminator.beta1",
            "spec.labelSmoothing",
            "spec.discriminatorSteps");
    assertThat(out)
        .filteredOn(v -> v.field().equals("spec.labelSmoothing"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains(">= 0 and < 0.5"));
  }

  @Test
  void shouldRefuseAConvolutionalGeneratorThatCannotReachTheImageSize() {
    GanSpec threeLayers =
        gan(GanSpec.Architecture.CONVOLUTIONAL, List.of(64, 32, 16), List.of(32, 64));
    List<FieldViolation> out = geometry.check(threeLayers, List.of(1, 28, 28), 10, "spec");
    assertThat(out)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("spec.generator.hidden");
              assertThat(v.message())
                  .contains("28x28 cannot be halved 3 times", "use 1 to 2 generator layers");
            });
    assertThat(geometry.check(threeLayers, List.of(3, 32, 32), 10, "spec")).isEmpty();
    assertThat(
            geometry.check(
                gan(GanSpec.Architecture.CONVOLUTIONAL, List.of(8), List.of(8)),
                List.of(1, 7, 7),
                10,
                "spec"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("use architecture DENSE"));
  }

  @Test
  void shouldRefuseTabularDataAndNetworksTooLargeForAWorker() {
    GanSpec spec = new GanSpec(null, null, null, null, null, null);
    assertThat(geometry.check(spec, List.of(4), 3, "spec"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("4 features"));
    GanSpec huge = gan(GanSpec.Architecture.DENSE, List.of(8192, 8192, 8192), List.of(8192));
    assertThat(geometry.check(huge, List.of(3, 128, 128), 10, "spec"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("parameters", "at most"));
  }

  @Test
  void shouldCountParametersAsTheGraphHoldsThem() {
    // Dense defaults on 28x28: G 64-256-512-784 with batch norm on the hidden layers, D
    // 784-512-256-1.
    long generator = (64 * 256 + 256 + 2 * 256) + (256 * 512 + 512 + 2 * 512) + (512 * 784 + 784);
    long discriminator = (784 * 512 + 512) + (512 * 256 + 256) + (256 + 1);
    assertThat(new GanSpec(null, null, null, null, null, null).parameterCount(List.of(1, 28, 28)))
        .isEqualTo(generator + discriminator);
  }
}
