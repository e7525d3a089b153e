package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.system.FieldViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecGeometryTests {

  final SpecGeometry geometry = new SpecGeometry();

  static CnnLayer conv(int filters, int kernel) {
    return new CnnLayer.Conv2d(filters, kernel, null, null, Activation.RELU);
  }

  static CnnLayer pool() {
    return new CnnLayer.MaxPool(2, null, null);
  }

  @Test
  void shouldReportTheTensorflowTutorialParameterCounts() {
    CnnSpec base = new CnnSpec(List.of(conv(32, 3), pool(), conv(64, 3), pool(), conv(64, 3)));
    SpecGeometry.Plan plan = geometry.plan(base, "cifar10", List.of(3, 32, 32), 10, "spec");

    assertThat(plan.fits()).isTrue();
    assertThat(plan.layers())
        .extracting(SpecGeometry.LayerShape::name)
        .containsExactly(
            "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "dense");
    assertThat(plan.layers())
        .extracting(SpecGeometry.LayerShape::outputShape)
        .containsExactly(
            List.of(32, 30, 30),
            List.of(32, 15, 15),
            List.of(64, 13, 13),
            List.of(64, 6, 6),
            List.of(64, 4, 4),
            List.of(10));
    assertThat(plan.layers())
        .extracting(SpecGeometry.LayerShape::params)
        .containsExactly(896L, 0L, 18496L, 0L, 36928L, 10250L);
    long convBase =
        plan.layers().stream().filter(l -> l.index() >= 0).mapToLong(l -> l.params()).sum();
    assertThat(convBase).isEqualTo(56_320);
  }

  @Test
  void shouldReportTheFullTutorialModelWith122570Parameters() {
    CnnSpec full =
        new CnnSpec(
            List.of(
                conv(32, 3),
                pool(),
                conv(64, 3),
                pool(),
                conv(64, 3),
                new CnnLayer.Flatten(),
                new CnnLayer.Dense(64, Activation.RELU)));
    SpecGeometry.Plan plan = geometry.plan(full, null, List.of(3, 32, 32), 10, "spec");
    assertThat(plan.totalParams()).isEqualTo(122_570);
    assertThat(plan.layers().get(5).outputShape()).containsExactly(1024);
    assertThat(plan.layers().get(7).name()).isEqualTo("dense_1");
    assertThat(plan.layers().get(7).index()).isEqualTo(-1);
  }

  @Test
  void shouldCountBatchNormMeansAndVariancesAsNonTrainable() {
    CnnSpec spec =
        new CnnSpec(
            List.of(
                new CnnLayer.Conv2d(8, 3, 1, Padding.SAME, null),
                new CnnLayer.BatchNorm(),
                new CnnLayer.Residual(16, null, 2, null, null)));
    SpecGeometry.Plan plan = geometry.plan(spec, null, List.of(1, 28, 28), 10, "spec");
    // conv 80, bn 32, block: 3x3x8x16+16 + 3x3x16x16+16 + 2x64 bn + 1x1 projection 8x16+16 + 64
    assertThat(plan.layers())
        .extracting(SpecGeometry.LayerShape::params)
        .containsExactly(80L, 32L, 1168L + 2320L + 128L + 144L + 64L, 16L * 14 * 14 * 10 + 10);
    assertThat(plan.layers().get(2).outputShape()).containsExactly(16, 14, 14);
    assertThat(plan.nonTrainableParams()).isEqualTo(16 + 32 + 32 + 32);
  }

  @Test
  void shouldSayWhichPoolLeavesNothing() {
    CnnSpec spec =
        new CnnSpec(
            List.of(
                conv(64, 3),
                new CnnLayer.MaxPool(2, null, null),
                new CnnLayer.MaxPool(2, null, null),
                new CnnLayer.MaxPool(2, null, null),
                conv(8, 1)));
    List<FieldViolation> violations = geometry.check(spec, "digits", List.of(1, 6, 6), 10, "spec");
    assertThat(violations)
        .extracting(FieldViolation::toString)
        .containsExactly(
            "spec.layers[3] MAX_POOL 2x2 stride 2 on a 1x1x64 feature map leaves nothing; input"
                + " 1x1x64, output 0x0x64 (use SAME padding, a smaller window or fewer"
                + " downsampling layers)");
  }

  @Test
  void shouldRejectAKernelLargerThanTheImageWithValidPaddingButNotWithSame() {
    List<FieldViolation> valid =
        geometry.check(new CnnSpec(List.of(conv(8, 5))), List.of(3, 4, 4), 2, "spec");
    assertThat(valid).extracting(FieldViolation::field).containsExactly("spec.layers[0]");
    assertThat(valid.get(0).message())
        .startsWith("CONV2D 5x5 stride 1 on a 4x4x3 feature map leaves nothing")
        .contains("output 0x0x8");

    CnnSpec same = new CnnSpec(List.of(new CnnLayer.Conv2d(8, 5, 3, Padding.SAME, null)));
    SpecGeometry.Plan plan = geometry.plan(same, null, List.of(3, 4, 4), 2, "spec");
    assertThat(plan.fits()).isTrue();
    assertThat(plan.layers().get(0).outputShape()).containsExactly(8, 2, 2);
  }

  @Test
  void shouldRefuseACnnOnTabularData() {
    assertThat(geometry.check(new CnnSpec(List.of(conv(8, 3))), "iris", List.of(4), 3, "spec"))
        .extracting(FieldViolation::toString)
        .containsExactly(
            "spec CNN needs image input [channels, height, width]; dataset 'iris' has 4 features");
  }

  @Test
  void shouldFlattenImagesForAnMlp() {
    MlpSpec mlp = new MlpSpec(List.of(new DenseLayerSpec(16, null)), null);
    SpecGeometry.Plan plan = geometry.plan(mlp, null, List.of(1, 28, 28), 10, "spec");
    assertThat(plan.totalParams()).isEqualTo(784 * 16 + 16 + 16 * 10 + 10);
    assertThat(geometry.plan(mlp, null, List.of(4), 3, "spec").totalParams())
        .isEqualTo(4 * 16 + 16 + 16 * 3 + 3);
  }

  @Test
  void shouldRefuseModelsTooLargeToTrain() {
    CnnSpec huge =
        new CnnSpec(List.of(conv(64, 3), new CnnLayer.Flatten(), new CnnLayer.Dense(65536, null)));
    assertThat(geometry.check(huge, List.of(3, 224, 224), 10, "spec"))
        .extracting(FieldViolation::field)
        .containsExactly("spec");
  }

  @Test
  void shouldInsistOnAValidatedSpec() {
    assertThatThrownBy(
            () -> geometry.check(new CnnSpec(List.of(conv(0, 3))), List.of(1, 8, 8), 2, "spec"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
