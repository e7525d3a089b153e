package io.deeptrain.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.model.MlpBuilder;
import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

class UpdaterLayoutTests {

  @Test
  void shouldTrainBitForBitAsDl4jDoesWithAdam() {
    assertSameTraining(new Adam(1e-3));
  }

  @Test
  void shouldTrainBitForBitAsDl4jDoesWithUpdatersOfSeveralStates() {
    assertSameTraining(new AMSGrad(1e-3));
    assertSameTraining(new Nesterovs(0.01, 0.9));
  }

  @Test
  void shouldGiveTheStateTheGradientsOrderingOverTheSameMemory() {
    MultiLayerNetwork net = mlp(new Adam(1e-3));
    UpdaterBlock block = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks().get(0);
    INDArray before = (INDArray) block.getGradientUpdater().getState().get(AdamUpdater.M_STATE);

    UpdaterLayout.matchGradientOrder(net.getUpdater());

    INDArray after = (INDArray) block.getGradientUpdater().getState().get(AdamUpdater.M_STATE);
    assertThat(after.ordering()).isEqualTo(block.getGradientView().ordering());
    assertThat(after.data().addressPointer().address())
        .isEqualTo(before.data().addressPointer().address());
    assertThat(after.offset()).isEqualTo(before.offset());
  }

  private static void assertSameTraining(IUpdater updater) {
    MultiLayerNetwork plain = mlp(updater);
    MultiLayerNetwork reordered = mlp(updater);
    UpdaterLayout.matchGradientOrder(reordered.getUpdater());
    Nd4j.getRandom().setSeed(3);
    for (int i = 0; i < 25; i++) {
      INDArray x = Nd4j.rand(DataType.FLOAT, 16, 12);
      INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
      for (int r = 0; r < 16; r++) {
        y.putScalar(r, (r + i) % 3, 1f);
      }
      plain.fit(x, y);
      reordered.fit(x, y);
    }
    // Exact float equality, not INDArray.equals (which allows 1e-5).
    assertThat(reordered.params().toFloatVector()).isEqualTo(plain.params().toFloatVector());
    assertThat(reordered.getUpdater().getStateViewArray().toFloatVector())
        .isEqualTo(plain.getUpdater().getStateViewArray().toFloatVector());
  }

  private static MultiLayerNetwork mlp(IUpdater updater) {
    MlpSpec spec =
        new MlpSpec(
            List.of(
                new DenseLayerSpec(20, Activation.RELU), new DenseLayerSpec(10, Activation.RELU)),
            0.0);
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new MlpBuilder().build(spec, 12, 3, NetworkOptions.of(updater, 0, 0, 1)));
    net.init();
    return net;
  }
}
