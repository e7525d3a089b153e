package io.deeptrain.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.CnnLayer;
import io.deeptrain.spec.CnnSpec;
import io.deeptrain.spec.SpecGeometry;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.FixedSchedule;

class SgdG2StepTests {

  /**
   * Gradient descent on f(θ) = ½ Σ λᵢ θᵢ² (Hessian diag(λ)) with {@link SgdG2Step#adapt} choosing
   * the step; returns the step size after {@code steps} steps.
   */
  private static double stepSizeOnQuadratic(double[] lambda, double h, int steps, double cap) {
    double[] theta = new double[lambda.length];
    java.util.Arrays.fill(theta, 1.0);
    for (int n = 0; n < steps; n++) {
      double dg = 0;
      double dd = 0;
      double[] g = new double[lambda.length];
      for (int i = 0; i < lambda.length; i++) {
        g[i] = lambda[i] * theta[i];
        double probe = lambda[i] * (theta[i] - h * g[i]);
        double d = g[i] - probe;
        dg += d * g[i];
        dd += d * d;
      }
      h = SgdG2Step.adapt(h, dg, dd, cap);
      for (int i = 0; i < lambda.length; i++) {
        theta[i] -= h * g[i];
      }
    }
    return h;
  }

  @Test
  void shouldConvergeToTheInverseCurvatureOnAOneDimensionalQuadratic() {
    // From far below and from far above the optimum 1/λ = 0.5.
    assertThat(stepSizeOnQuadratic(new double[] {2.0}, 0.01, 100, Double.POSITIVE_INFINITY))
        .isCloseTo(0.5, offset(1e-3));
    assertThat(stepSizeOnQuadratic(new double[] {2.0}, 0.9, 100, Double.POSITIVE_INFINITY))
        .isCloseTo(0.5, offset(1e-3));
  }

  @Test
  void shouldSettleAtTheBestConstantStepOnAnIllConditionedQuadratic() {
    // λ = 1 and 4: h_opt swings between the two directions, h settles at 2/(1+4) = 0.4.
    assertThat(stepSizeOnQuadratic(new double[] {1.0, 4.0}, 0.01, 300, Double.POSITIVE_INFINITY))
        .isCloseTo(0.4, offset(1e-3));
    assertThat(
            stepSizeOnQuadratic(
                new double[] {1, 2, 3, 4, 5, 10}, 0.01, 300, Double.POSITIVE_INFINITY))
        .isCloseTo(2.0 / 11, offset(1e-3));
  }

  @Test
  void shouldShrinkFasterThanItGrowsAndRespectTheCap() {
    // One step toward an optimum 4x away: down covers half the log distance, up a tenth.
    assertThat(SgdG2Step.adapt(1.0, 1.0, 4.0, Double.POSITIVE_INFINITY))
        .isCloseTo(Math.pow(0.25, SgdG2Step.DOWN), offset(1e-12));
    assertThat(SgdG2Step.adapt(1.0, 4.0, 1.0, Double.POSITIVE_INFINITY))
        .isCloseTo(Math.pow(4, SgdG2Step.UP), offset(1e-12));
    assertThat(SgdG2Step.adapt(1.0, 4.0, 1.0, 0.5)).isEqualTo(0.5);
    // No positive curvature measured: keep h.
    assertThat(SgdG2Step.adapt(0.3, -1.0, 1.0, Double.POSITIVE_INFINITY)).isEqualTo(0.3);
  }

  /**
   * A linear model y = w·x with DL4J's MSE loss (w·x − y)²: its curvature in w is 2x², so through
   * the real network (two gradient evaluations, DL4J's updater, the parameter view) h must settle
   * at 1/(2x²), the step that solves it in one move.
   */
  @Test
  void shouldFindTheOptimalStepOfALinearModelThroughTheNetwork() {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.DOUBLE)
                .updater(new Sgd(1.0))
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(1)
                        .nOut(1)
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.ONES)
                        .build())
                .build());
    net.init();
    TrainableNetwork trainable = TrainableNetwork.of(net);
    INDArray x = Nd4j.createFromArray(new double[][] {{2.0}});
    INDArray y = Nd4j.createFromArray(new double[][] {{10.0}});
    // DL4J's MSE for one output is (wx − y)²: curvature 2x² = 8, optimal step 1/8.
    // Restart from w = 1 before each step so the gradient never vanishes and h keeps learning.
    SgdG2Step step = new SgdG2Step(trainable, 0.01, null, 7);
    for (int i = 0; i < 80; i++) {
      net.params().assign(1.0);
      step.fit(x, y);
    }
    assertThat(step.learningRate()).isCloseTo(0.125, offset(1e-3));
    // With that h, one step from w = 1 lands on the solution w = y/x = 5.
    assertThat(net.params().getDouble(0)).isCloseTo(5.0, offset(0.05));
    assertThat(net.getIterationCount()).isEqualTo(80);
  }

  @Test
  void shouldNeverStepAboveTheScheduleCap() {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .updater(new Sgd(1.0))
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(1)
                        .nOut(1)
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.ONES)
                        .build())
                .build());
    net.init();
    SgdG2Step step = new SgdG2Step(TrainableNetwork.of(net), 0.01, new FixedSchedule(0.05), 7);
    INDArray x = Nd4j.createFromArray(new double[][] {{2.0}});
    INDArray y = Nd4j.createFromArray(new double[][] {{10.0}});
    for (int i = 0; i < 40; i++) {
      step.fit(x, y);
      assertThat(step.learningRate()).isLessThanOrEqualTo(0.05);
    }
    assertThat(step.learningRate()).isEqualTo(0.05);
  }

  @Test
  void shouldReportNaNAndKeepTheParametersWhenTheProbeOverflows() {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(new Sgd(1.0))
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(1)
                        .nOut(1)
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.ONES)
                        .build())
                .build());
    net.init();
    SgdG2Step step = new SgdG2Step(TrainableNetwork.of(net), 10, null, 7);
    // The loss at w = 1 is finite in float; at the probe w − 10·g it overflows.
    INDArray x = Nd4j.createFromArray(new float[][] {{1e10f}});
    INDArray y = Nd4j.createFromArray(new float[][] {{10f}});

    assertThat(step.fit(x, y)).isNaN();
    assertThat(net.params().getDouble(0)).isEqualTo(1.0);
  }

  @Test
  void shouldTrainAComputationGraphWithBatchNorm() {
    CnnSpec spec =
        new CnnSpec(
            List.of(
                new CnnLayer.Conv2d(4, 3, null, null, null),
                new CnnLayer.BatchNorm(),
                new CnnLayer.Flatten(),
                new CnnLayer.Dense(8, null)));
    ComputationGraph graph =
        new ComputationGraph(
            new CnnBuilder(new SpecGeometry())
                .build(spec, List.of(1, 8, 8), 2, NetworkOptions.of(new Sgd(1.0), 0, 0, 3)));
    graph.init();
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 8, 8);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 2);
    for (int r = 0; r < 16; r++) {
      y.putScalar(r, r % 2, 1f);
    }
    SgdG2Step step = new SgdG2Step(TrainableNetwork.of(graph), 0.01, null, 3);

    double first = step.fit(x, y);
    double last = first;
    for (int i = 0; i < 30; i++) {
      last = step.fit(x, y);
    }
    assertThat(last).isLessThan(first);
    assertThat(graph.getIterationCount()).isEqualTo(31);
    assertThat(step.learningRate()).isNotEqualTo(0.01);
    graph.close();
  }
}
