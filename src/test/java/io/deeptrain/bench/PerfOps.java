package io.deeptrain.bench;

import io.deeptrain.model.MlpBuilder;
import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Issue #10: the cost of single ND4J operations the MLP's training step is made of, to split DL4J's
 * per-iteration time into arithmetic (gemm, the Adam update) and per-op overhead (a tiny op costs
 * the JNI call, shape-info allocation and op setup and nothing else). Prints microseconds per call.
 * Run with {@code bench/perf-ops}. Not a test.
 */
public final class PerfOps {

  private PerfOps() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("net")) {
      inNetwork();
      return;
    }
    INDArray x = Nd4j.rand(DataType.FLOAT, 64, 784);
    INDArray w1 = Nd4j.rand(DataType.FLOAT, 784, 256);
    INDArray out = Nd4j.create(DataType.FLOAT, 64, 256);
    time("gemm [64,784]x[784,256] (mmuli)", () -> x.mmuli(w1, out));
    INDArray d = Nd4j.rand(DataType.FLOAT, 64, 256);
    INDArray gw = Nd4j.create(DataType.FLOAT, 784, 256);
    time("gemm [784,64]x[64,256] (weight gradient)", () -> Nd4j.gemm(x, d, gw, true, false, 1, 0));
    INDArray small = Nd4j.rand(DataType.FLOAT, 1, 10);
    time("tiny op: addi scalar on [1,10]", () -> small.addi(1e-7));
    INDArray row = Nd4j.rand(DataType.FLOAT, 1, 256);
    time("addiRowVector [64,256] + [1,256]", () -> out.addiRowVector(row));
    long n = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
    INDArray grad = Nd4j.rand(DataType.FLOAT, 1, n);
    INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * n);
    AdamUpdater adam = (AdamUpdater) new Adam(1e-3).instantiate(state, true);
    int[] it = {0};
    time(
        "Adam update, " + n + " params",
        () -> {
          adam.applyUpdater(grad, it[0]++, 0);
          return grad;
        });
    INDArray gc = Nd4j.rand(DataType.FLOAT, n);
    INDArray gf = Nd4j.create(gc.data(), new long[] {n}, new long[] {1}, 0, 'f');
    INDArray m = Nd4j.zeros(DataType.FLOAT, n);
    INDArray v = Nd4j.zeros(DataType.FLOAT, n);
    time(
        "adam_updater op, gradient 'c', state 'c'",
        () ->
            Nd4j.exec(
                new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(
                    gc, v, m, 1e-3, 0.9, 0.999, 1e-8, 5)));
    time(
        "adam_updater op, gradient 'f', state 'c'",
        () ->
            Nd4j.exec(
                new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(
                    gf, v, m, 1e-3, 0.9, 0.999, 1e-8, 5)));
    if (args.length > 0 && args[0].equals("net")) {
      inNetwork();
      return;
    }
    if (args.length > 0 && args[0].equals("adam")) {
      return;
    }
    inNetwork();
    INDArray params = Nd4j.rand(DataType.FLOAT, 1, n);
    time("params.subi(update), " + n + " params", () -> params.subi(grad));
  }

  /** The Adam update exactly as DL4J calls it inside the project's MLP, and the arrays it gets. */
  static void inNetwork() {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new MlpBuilder()
                .build(
                    new MlpSpec(
                        List.of(
                            new DenseLayerSpec(256, Activation.RELU),
                            new DenseLayerSpec(128, Activation.RELU)),
                        0.0),
                    784,
                    10,
                    NetworkOptions.of(new Adam(1e-3), 0, 0, 1)));
    net.init();
    INDArray x = Nd4j.rand(DataType.FLOAT, 64, 784);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 64, 10);
    for (int i = 0; i < 64; i++) {
      y.putScalar(i, i % 10, 1f);
    }
    net.fit(x, y);
    time(
        "whole MLP fit(x, y), batch 64",
        () -> {
          net.fit(x, y);
          return null;
        });
    BaseMultiLayerUpdater<?> updater = (BaseMultiLayerUpdater<?>) net.getUpdater();
    // What fit really hands the updater (DL4J may pass a view other than the block's own).
    for (UpdaterBlock block : updater.getUpdaterBlocks()) {
      AdamUpdater stock = (AdamUpdater) block.getGradientUpdater();
      AdamUpdater seen =
          new AdamUpdater(stock.getConfig()) {
            @Override
            public void applyUpdater(INDArray g, int iteration, int epoch) {
              System.out.printf(
                  "fit passes the updater: gradient %s %c ews %d; m %c%n",
                  Arrays.toString(g.shape()),
                  g.ordering(),
                  g.elementWiseStride(),
                  getM().ordering());
              super.applyUpdater(g, iteration, epoch);
            }
          };
      seen.setState(stock.getState(), false);
      block.setGradientUpdater(seen);
      net.fit(x, y);
      block.setGradientUpdater(stock);
    }
    for (UpdaterBlock block : updater.getUpdaterBlocks()) {
      AdamUpdater adam = (AdamUpdater) block.getGradientUpdater();
      INDArray g = block.getGradientView();
      System.out.printf(
          "block params %d-%d: gradient %s %c ews %d; m %s %c ews %d; v %s %c ews %d%n",
          block.getParamOffsetStart(),
          block.getParamOffsetEnd(),
          Arrays.toString(g.shape()),
          g.ordering(),
          g.elementWiseStride(),
          Arrays.toString(adam.getM().shape()),
          adam.getM().ordering(),
          adam.getM().elementWiseStride(),
          Arrays.toString(adam.getV().shape()),
          adam.getV().ordering(),
          adam.getV().elementWiseStride());
      int[] it = {100};
      time(
          "  Adam on the block's own gradient view (not what fit passes)",
          () -> {
            adam.applyUpdater(g, it[0]++, 0);
            return null;
          });
    }
  }

  static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  static void time(String what, Supplier<Object> op) {
    for (int i = 0; i < 30; i++) {
      op.get();
    }
    double best = Double.MAX_VALUE;
    for (int r = 0; r < 5; r++) {
      int n = 40;
      // Thread CPU time: with one native thread the op runs on this thread, and a busy machine
      // does not count against it.
      long t0 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        op.get();
      }
      best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t0) / 1e3 / n);
    }
    System.out.printf("%-45s %9.1f us CPU (best of 5 x 40)%n", what, best);
  }
}
