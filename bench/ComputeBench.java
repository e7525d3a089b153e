import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Training throughput of the MLP 784-256-128-10 and the TF-tutorial CNN (28x28x1), batch 64, on
 * random data. One configuration per JVM, because OpenMP reads OMP_* variables once at load.
 *
 * <pre>
 * java -cp "$(cat target/bench.cp):target/classes" bench/ComputeBench.java mlp|cnn [threads|env] [seconds] [main|worker] [apply]
 * </pre>
 *
 * {@code threads} is applied at runtime the way io.deeptrain.compute does it (libnd4j OpenMP,
 * libnd4j's own pool, OpenBLAS); {@code env} leaves ND4J's startup choice (OMP_NUM_THREADS or cores).
 */
public class ComputeBench {

  public static void main(String[] args) throws Exception {
    System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
    String model = args.length > 0 ? args[0] : "mlp";
    String threads = args.length > 1 ? args[1] : "env";
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 20;

    boolean onWorker = args.length > 3 && "worker".equals(args[3]);
    // NativeOpsHolder fails unless the backend has been loaded first.
    Nd4j.getExecutioner();
    boolean applyOnWorker = args.length > 4 && "apply".equals(args[4]);
    if (!"env".equals(threads)) {
      int n = Integer.parseInt(threads);
      NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
      Nd4j.getEnvironment().setMaxThreads(n);
      Nd4j.getEnvironment().setMaxMasterThreads(n);
      Nd4j.factory().blas().setMaxThreads(n);
    }
    if (onWorker) {
      // Jobs train on worker threads, not on the thread that applied the settings; OpenMP's
      // count is per thread, so "apply" sets it again there, as ComputeBackend's thread factory.
      Thread worker =
          new Thread(
              () -> {
                if (applyOnWorker && !"env".equals(threads)) {
                  NativeOpsHolder.getInstance()
                      .getDeviceNativeOps()
                      .setOmpNumThreads(Integer.parseInt(threads));
                }
                run(model, threads, seconds, applyOnWorker ? "worker+apply" : "worker");
              });
      worker.start();
      worker.join();
    } else {
      run(model, threads, seconds, "main");
    }
  }

  static void run(String model, String threads, double seconds, String on) {
    int batch = 64;
    MultiLayerNetwork net = "cnn".equals(model) ? cnn() : mlp();
    net.init();
    Nd4j.getRandom().setSeed(42);
    DataSet data =
        "cnn".equals(model)
            ? new DataSet(Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28), oneHot(batch))
            : new DataSet(Nd4j.rand(DataType.FLOAT, batch, 784), oneHot(batch));

    // Warm-up: JIT, oneDNN primitive caches, workspaces.
    for (int i = 0; i < 10; i++) {
      net.fit(data);
    }
    long start = System.nanoTime();
    long iterations = 0;
    while (System.nanoTime() - start < seconds * 1e9) {
      net.fit(data);
      iterations++;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    String helpers =
        Arrays.stream(net.getLayers())
            .map(Layer::getHelper)
            .filter(h -> h != null)
            .map(h -> h.getClass().getSimpleName())
            .distinct()
            .toList()
            .toString();
    System.out.printf(
        Locale.ROOT,
        "RESULT model=%s threads=%s on=%s omp=%s blasThreads=%d OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s"
            + " helpers=%s iterations=%d samples/s=%.0f%n",
        model,
        threads,
        on,
        NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
        Nd4j.factory().blas().getMaxThreads(),
        System.getenv("OMP_NUM_THREADS"),
        System.getenv("OMP_WAIT_POLICY"),
        helpers,
        iterations,
        iterations * batch / elapsed);
    System.out.println("env: " + env);
  }

  static MultiLayerNetwork mlp() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(42)
            .updater(new Adam(1e-3))
            .list()
            .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
            .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nOut(10)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.feedForward(784))
            .build();
    return new MultiLayerNetwork(conf);
  }

  static MultiLayerNetwork cnn() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(42)
            .updater(new Adam(1e-3))
            .list()
            .layer(conv(32))
            .layer(pool())
            .layer(conv(64))
            .layer(pool())
            .layer(conv(64))
            .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nOut(10)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(28, 28, 1))
            .build();
    return new MultiLayerNetwork(conf);
  }

  static ConvolutionLayer conv(int filters) {
    return new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU).build();
  }

  static SubsamplingLayer pool() {
    return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
        .kernelSize(2, 2)
        .stride(2, 2)
        .build();
  }

  static org.nd4j.linalg.api.ndarray.INDArray oneHot(int batch) {
    var labels = Nd4j.zeros(DataType.FLOAT, batch, 10);
    for (int i = 0; i < batch; i++) {
      labels.putScalar(i, i % 10, 1f);
    }
    return labels;
  }
}
