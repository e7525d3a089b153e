package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.spec.VaeSpec;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VaeGraphTests {

  static VaeSpec spec(
      VaeSpec.Architecture architecture,
      List<Integer> hidden,
      int latent,
      VaeSpec.Reconstruction reconstruction,
      VaeSpec.LatentLoss loss) {
    return new VaeSpec(architecture, hidden, latent, reconstruction, loss, 1.0);
  }

  static INDArray images(int n, int c, int h, int w, long seed) {
    return Nd4j.rand(DataType.FLOAT, n, c, h, w);
  }

  @Test
  void shouldEncodeAndDecodeWithTheShapesOfTheImagesForEachArchitectureAndLoss() {
    for (VaeSpec.Architecture a : VaeSpec.Architecture.values()) {
      for (VaeSpec.LatentLoss l : VaeSpec.LatentLoss.values()) {
        for (VaeSpec.Reconstruction r : VaeSpec.Reconstruction.values()) {
          VaeSpec spec =
              spec(a, a == VaeSpec.Architecture.DENSE ? List.of(32, 16) : List.of(4, 8), 3, r, l);
          SameDiff sd = VaeGraph.build(spec, List.of(1, 12, 8), 1);
          INDArray x = images(5, 1, 12, 8, 1);
          INDArray noise = VaeGraph.normal(new Random(1), 5, 3);
          Map<String, INDArray> out =
              sd.output(
                  Map.of(
                      VaeGraph.INPUT,
                      x,
                      l == VaeSpec.LatentLoss.KL ? VaeGraph.NOISE : VaeGraph.PRIOR,
                      noise),
                  VaeGraph.MEAN,
                  VaeGraph.RECONSTRUCTION,
                  VaeGraph.LOSS,
                  VaeGraph.RECONSTRUCTION_LOSS,
                  VaeGraph.LATENT_LOSS);
          assertThat(out.get(VaeGraph.MEAN).shape()).as(spec.toString()).containsExactly(5, 3);
          assertThat(out.get(VaeGraph.RECONSTRUCTION).shape()).containsExactly(5, 1, 12, 8);
          double loss = out.get(VaeGraph.LOSS).getDouble(0);
          assertThat(loss)
              .isCloseTo(
                  out.get(VaeGraph.RECONSTRUCTION_LOSS).getDouble(0)
                      + out.get(VaeGraph.LATENT_LOSS).getDouble(0),
                  org.assertj.core.data.Offset.offset(1e-3 * Math.abs(loss)));
          INDArray decoded =
              sd.output(
                      Map.of(
                          VaeGraph.CODE,
                          noise.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2))),
                      VaeGraph.DECODED)
                  .get(VaeGraph.DECODED);
          assertThat(decoded.shape()).containsExactly(2, 1, 12, 8);
          assertThat(decoded.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
          assertThat(decoded.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
        }
      }
    }
  }

  @Test
  void shouldMeasureEnergyDistanceNearZeroForOneDistributionAndClearlyPositiveForAShiftedOne() {
    SameDiff sd = SameDiff.create();
    SDVariable a = sd.placeHolder("a", DataType.FLOAT, -1, 8);
    SDVariable b = sd.placeHolder("b", DataType.FLOAT, -1, 8);
    VaeGraph.energyDistance(sd, a, b).rename("ed");
    Random random = new Random(3);
    INDArray z = VaeGraph.normal(random, 256, 8);
    INDArray y = VaeGraph.normal(random, 256, 8);
    double same = sd.output(Map.of("a", z, "b", y), "ed").get("ed").getDouble(0);
    double shifted = sd.output(Map.of("a", z.add(1.0), "b", y), "ed").get("ed").getDouble(0);
    double scaled = sd.output(Map.of("a", z.mul(2.0), "b", y), "ed").get("ed").getDouble(0);
    assertThat(Math.abs(same)).isLessThan(0.05);
    assertThat(shifted).isGreaterThan(1.0);
    assertThat(scaled).isGreaterThan(0.5);
  }
}
