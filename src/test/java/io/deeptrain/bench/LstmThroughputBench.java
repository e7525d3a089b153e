package io.deeptrain.bench;

import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.LstmSpec;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Issue #5's comparison, DL4J side: training and inference samples/s of the rows-as-sequence
 * LSTM(128) classifier (28 steps of 28 features, 10 classes, Adam, batch 64) on random data, the
 * same model bench/lstm_torch.py times in PyTorch. Threads come from OMP_NUM_THREADS. Prints one
 * line: {@code dl4j train_sps infer_sps}.
 *
 * <p>Run through {@code bench/lstm-vs-torch}. Not a test.
 */
public final class LstmThroughputBench {

  private LstmThroughputBench() {}

  public static void main(String[] args) {
    int batch = 64;
    int warmup = 10;
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    LstmSpec spec =
        new LstmSpec(List.of(new LstmSpec.LstmLayer(128)), false, 0.0, null, null, null, null);
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new LstmBuilder().build(spec, 28, 10, NetworkOptions.of(new Adam(1e-3), 0, 0, 1)));
    net.init();
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.rand(DataType.FLOAT, batch, 28, 28);
    INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
    for (int i = 0; i < batch; i++) {
      y.putScalar(i, i % 10, 1f);
    }
    for (int i = 0; i < warmup; i++) {
      net.fit(x, y);
    }
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      net.fit(x, y);
    }
    double train = (double) batch * iterations / ((System.nanoTime() - start) / 1e9);
    INDArray big = Nd4j.rand(DataType.FLOAT, 1024, 28, 28);
    for (int i = 0; i < 3; i++) {
      net.output(big).close();
    }
    start = System.nanoTime();
    int passes = 10;
    for (int i = 0; i < passes; i++) {
      net.output(big).close();
    }
    double infer = 1024.0 * passes / ((System.nanoTime() - start) / 1e9);
    System.out.printf("dl4j %.1f %.1f%n", train, infer);
  }
}
