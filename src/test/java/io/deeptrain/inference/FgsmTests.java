package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.CnnLayer;
import io.deeptrain.spec.CnnSpec;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.SpecGeometry;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * FGSM on small classifiers trained here on synthetic 8x8 images (class 0: a slightly brighter top
 * half, class 1: bottom half, under noise), hard enough that the models are not certain.
 */
class FgsmTests {

  private static final int SIZE = 8;
  private static ComputationGraph cnn;
  private static MultiLayerNetwork mlp;
  private static INDArray images;
  private static INDArray labels;

  @BeforeAll
  static void train() {
    Random random = new Random(1);
    int n = 256;
    float[] pixels = new float[n * SIZE * SIZE];
    float[] oneHot = new float[n * 2];
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      oneHot[i * 2 + label] = 1;
      for (int y = 0; y < SIZE; y++) {
        boolean bright = (y < SIZE / 2) == (label == 0);
        for (int x = 0; x < SIZE; x++) {
          float base = bright ? 0.55f : 0.45f;
          pixels[(i * SIZE + y) * SIZE + x] =
              Math.max(0, Math.min(1, base + 0.15f * (float) random.nextGaussian()));
        }
      }
    }
    images = Nd4j.create(pixels, new long[] {n, 1, SIZE, SIZE}, 'c');
    labels = Nd4j.create(oneHot, new long[] {n, 2}, 'c');

    CnnSpec spec =
        new CnnSpec(
            List.of(
                new CnnLayer.Conv2d(4, 3, null, null, Activation.RELU),
                new CnnLayer.MaxPool(2, null, null),
                new CnnLayer.Flatten(),
                new CnnLayer.Dense(8, Activation.RELU)));
    cnn =
        new ComputationGraph(
            new CnnBuilder(new SpecGeometry())
                .build(
                    spec, List.of(1, SIZE, SIZE), 2, NetworkOptions.of(new Adam(1e-2), 0, 0, 7)));
    cnn.init();
    mlp =
        new MultiLayerNetwork(
            new MlpBuilder()
                .build(
                    new MlpSpec(List.of(new DenseLayerSpec(16, Activation.RELU)), 0.0),
                    SIZE * SIZE,
                    2,
                    NetworkOptions.of(new Adam(1e-2), 0, 0, 7)));
    mlp.init();
    INDArray flat = images.reshape(n, SIZE * SIZE);
    for (int epoch = 0; epoch < 40; epoch++) {
      cnn.fit(new INDArray[] {images}, new INDArray[] {labels});
      mlp.fit(flat, labels);
    }
  }

  @Test
  void shouldTrainClassifiersThatAreRightBeforeTheAttack() {
    double cnnLoss = 0;
    double mlpLoss = 0;
    for (int i = 0; i < 16; i++) {
      cnnLoss += loss(cnn, one(i), i % 2) / 16;
      mlpLoss += loss(mlp, flat(one(i)), i % 2) / 16;
    }
    assertThat(cnnLoss).isLessThan(0.4);
    assertThat(mlpLoss).isLessThan(0.4);
  }

  @Test
  void shouldIncreaseTheLossOfTheTrueLabelWithinEpsilonForACnn() {
    INDArray x = one(0);
    INDArray gradient = Fgsm.inputGradient(cnn, x, Fgsm.oneHot(0, 2));
    INDArray adversarial = Fgsm.perturb(x, gradient, 0.1, true);

    // Above ln 2 the true class is no longer the most probable of the two: the model is fooled.
    assertThat(loss(cnn, adversarial, 0)).isGreaterThan(Math.max(1.0, loss(cnn, x, 0)));
    assertThat(adversarial.sub(x).amaxNumber().doubleValue()).isLessThanOrEqualTo(0.1 + 1e-6);
    assertThat(adversarial.minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
    assertThat(adversarial.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void shouldIncreaseTheLossOfTheTrueLabelWithinEpsilonForAnMlp() {
    INDArray x = flat(one(3));
    INDArray gradient = Fgsm.inputGradient(mlp, x, Fgsm.oneHot(1, 2));
    INDArray adversarial = Fgsm.perturb(x, gradient, 0.1, true);

    assertThat(loss(mlp, adversarial, 1)).isGreaterThan(Math.max(1.0, loss(mlp, x, 1)));
    assertThat(adversarial.sub(x).amaxNumber().doubleValue()).isLessThanOrEqualTo(0.1 + 1e-6);
    assertThat(adversarial.minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
    assertThat(adversarial.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void shouldReturnTheGradientOfTheLossWithRespectToTheInput() {
    // A small step along the gradient changes the loss by about step * |gradient|.
    INDArray x = one(2);
    INDArray gradient = Fgsm.inputGradient(cnn, x, Fgsm.oneHot(0, 2));
    double norm = gradient.norm2Number().doubleValue();
    double h = 1e-2;
    INDArray moved = x.add(gradient.div(norm).muli(h));

    double change = loss(cnn, moved, 0) - loss(cnn, x, 0);

    assertThat(norm).isPositive();
    assertThat(change).isCloseTo(h * norm, within(0.2 * h * norm));
  }

  @Test
  void shouldLeaveTheServingNetworkUnchanged() {
    INDArray before = cnn.params().dup();

    Fgsm.inputGradient(cnn, one(0), Fgsm.oneHot(0, 2));

    assertThat(cnn.params()).isEqualTo(before);
  }

  private static INDArray one(int row) {
    return images
        .get(
            org.nd4j.linalg.indexing.NDArrayIndex.interval(row, row + 1),
            org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.all())
        .dup();
  }

  private static INDArray flat(INDArray image) {
    return image.reshape(1, SIZE * SIZE);
  }

  private static double loss(Model network, INDArray x, int label) {
    INDArray p =
        network instanceof ComputationGraph g
            ? g.outputSingle(false, x)
            : ((MultiLayerNetwork) network).output(x, false);
    return -Math.log(Math.max(1e-10, p.getDouble(0, label)));
  }
}
