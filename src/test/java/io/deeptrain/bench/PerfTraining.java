package io.deeptrain.bench;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.Examples;
import io.deeptrain.fixtures.TrainingFixtures;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.model.NetworkOptions;
import io.deeptrain.spec.CnnSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.Checkpoint;
import io.deeptrain.training.CheckpointStore;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingRunner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue #10's per-iteration cost, three levels side by side on the same Fashion-MNIST examples,
 * batch size and thread count: (a) DL4J alone, {@code fit(DataSet)} on batches built before the
 * clock starts, on the network the project's builder makes; (b) the project's training path, {@link
 * TrainingRunner} with a metric recorder and a checkpoint store that serialises as the service's
 * does (every 500 iterations and each epoch end); (c) PyTorch ({@code bench/torch_families.py}, a
 * subprocess). Repetitions interleave a, b, c so a busy machine slows all three alike; medians and
 * spread are printed and written to bench/results/perf-training-DATE.json.
 *
 * <p>Run with {@code bench/perf-training [--model mlp|cnn] [--samples N] [--reps R] [--levels
 * a,b,c]}, or {@code --loop a|b --seconds S} to run one level for a while under a profiler. Not a
 * test.
 */
public final class PerfTraining {

  static final String MLP =
      """
      {"type":"MLP","layers":[{"units":256,"activation":"RELU"},{"units":128,"activation":"RELU"}]}""";

  static final String CNN = CnnTrainingBenchmark.TUTORIAL_CNN;

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final int BATCH = 64;

  private PerfTraining() {}

  public static void main(String[] args) throws Exception {
    String model = "mlp";
    int samples = 30_000;
    int reps = 5;
    List<String> levels = List.of("a", "b", "c");
    String loop = null;
    double seconds = 60;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = args[++i];
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--levels" -> levels = List.of(args[++i].split(","));
        case "--loop" -> loop = args[++i];
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    // As the service's ComputeConfiguration does before the first network is built.
    if (System.getProperty("org.eclipse.deeplearning4j.helpers.disable") == null) {
      System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
    }
    String spec = model.equals("mlp") ? MLP : CNN;
    DatasetCatalog catalog = io.deeptrain.dataset.ImageCatalogs.withSystemDatasets();
    DatasetSplit split = catalog.open("fashion-mnist", 0.2, 1);
    Examples train = split.train();
    samples = Math.min(samples, train.size());

    if (loop != null) {
      long end = System.nanoTime() + (long) (seconds * 1e9);
      int n = 0;
      while (System.nanoTime() < end) {
        double sps =
            loop.equals("a")
                ? levelA(model, spec, train, samples, split)
                : levelB(catalog, spec, samples).samplesPerSecond();
        System.out.printf("loop %s run %d: %.1f samples/s%n", loop, ++n, sps);
      }
      return;
    }

    Map<String, List<Double>> results = new LinkedHashMap<>();
    levels.forEach(l -> results.put(l, new ArrayList<>()));
    List<Double> bWall = new ArrayList<>();
    // Warm-up: JIT and native libraries for both Java levels, not counted.
    if (levels.contains("a")) {
      levelA(model, spec, train, Math.min(samples, 20 * BATCH), split);
    }
    if (levels.contains("b")) {
      levelB(catalog, spec, Math.min(samples, 20 * BATCH));
    }
    System.out.printf(
        "%s, %d samples, batch %d, OMP_NUM_THREADS=%s, load %s%n",
        model, samples, BATCH, System.getenv("OMP_NUM_THREADS"), load());
    for (int rep = 1; rep <= reps; rep++) {
      for (String level : levels) {
        double sps;
        switch (level) {
          case "a" -> sps = levelA(model, spec, train, samples, split);
          case "b" -> {
            RunB b = levelB(catalog, spec, samples);
            sps = b.samplesPerSecond();
            bWall.add(b.wallSeconds());
          }
          case "c" -> sps = levelC(model, samples);
          default -> throw new IllegalArgumentException("level " + level);
        }
        results.get(level).add(sps);
        System.out.printf("rep %d level %s: %.1f samples/s%n", rep, level, sps);
      }
    }
    System.out.println();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", model);
    json.put("samples", samples);
    json.put("batch", BATCH);
    json.put("ompNumThreads", System.getenv("OMP_NUM_THREADS"));
    json.put("loadAfter", load());
    for (var e : results.entrySet()) {
      List<Double> v = e.getValue();
      System.out.printf(
          "level %s: median %.1f samples/s (min %.1f, max %.1f, n=%d)%n",
          e.getKey(),
          median(v),
          v.stream().min(Double::compare).orElse(Double.NaN),
          v.stream().max(Double::compare).orElse(Double.NaN),
          v.size());
      json.put(e.getKey(), v);
      json.put(e.getKey() + "Median", median(v));
    }
    if (!bWall.isEmpty()) {
      json.put("bWallSecondsInclEvaluation", bWall);
    }
    if (results.containsKey("a") && results.containsKey("b")) {
      System.out.printf("b / a = %.3f%n", median(results.get("b")) / median(results.get("a")));
    }
    if (results.containsKey("a") && results.containsKey("c")) {
      System.out.printf("a / c = %.3f%n", median(results.get("a")) / median(results.get("c")));
    }
    Path out =
        Path.of(
            "bench/results/perf-training-"
                + model
                + "-"
                + LocalDateTime.now().withNano(0).toString().replace(':', '-')
                + ".json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    System.out.println("wrote " + out);
  }

  /** DL4J alone: the project's network configuration, batches built before timing. */
  static double levelA(String model, String spec, Examples train, int samples, DatasetSplit split)
      throws Exception {
    int[] order = new int[samples];
    Arrays.setAll(order, i -> i);
    shuffle(order, new Random(7));
    List<DataSet> batches = new ArrayList<>();
    for (int start = 0; start < samples; start += BATCH) {
      int[] rows = Arrays.copyOfRange(order, start, Math.min(samples, start + BATCH));
      INDArray x = train.features(rows);
      if (model.equals("mlp")) {
        x = x.reshape('c', rows.length, 784);
      }
      INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, rows.length, 10);
      for (int r = 0; r < rows.length; r++) {
        y.putScalar(r, train.labels()[rows[r]], 1f);
      }
      batches.add(new DataSet(x, y));
    }
    NetworkOptions options = NetworkOptions.of(new Adam(1e-3), 0, 0, 1);
    ModelSpec parsed = JSON.readValue(spec, ModelSpec.class);
    long t0;
    long t1;
    long c0;
    long c1;
    if (parsed instanceof MlpSpec mlp) {
      MultiLayerNetwork net = new MultiLayerNetwork(new MlpBuilder().build(mlp, 784, 10, options));
      net.init();
      c0 = CPU.getCurrentThreadCpuTime();
      t0 = System.nanoTime();
      for (DataSet d : batches) {
        net.fit(d);
      }
      t1 = System.nanoTime();
      c1 = CPU.getCurrentThreadCpuTime();
      net.close();
    } else {
      ComputationGraph net =
          new ComputationGraph(
              new CnnBuilder(new SpecGeometry())
                  .build((CnnSpec) parsed, split.inputShape(), 10, options));
      net.init();
      c0 = CPU.getCurrentThreadCpuTime();
      t0 = System.nanoTime();
      for (DataSet d : batches) {
        net.fit(d);
      }
      t1 = System.nanoTime();
      c1 = CPU.getCurrentThreadCpuTime();
      net.close();
    }
    batches.forEach(
        d -> {
          d.getFeatures().close();
          d.getLabels().close();
        });
    // Thread CPU time as well: with one native thread DL4J runs on this thread, so this figure
    // is what an idle machine would show, less cache contention.
    System.out.printf(
        "  level %s: %.1f samples/s per thread-CPU second%n", "a", samples / ((c1 - c0) / 1e9));
    return samples / ((t1 - t0) / 1e9);
  }

  static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  record RunB(double samplesPerSecond, double wallSeconds) {}

  /** The project's loop: TrainingRunner with metrics and checkpoints as the service has them. */
  static RunB levelB(DatasetCatalog catalog, String spec, int samples) throws Exception {
    double[] sps = {Double.NaN};
    AtomicLong points = new AtomicLong();
    MetricRecorder recorder =
        (jobId, name, step, epoch, value) -> {
          points.incrementAndGet();
          if (name.equals("samples_per_second")) {
            sps[0] = value;
          }
        };
    TrainingRunner runner =
        new TrainingRunner(
            catalog,
            new MlpBuilder(),
            new CnnBuilder(new SpecGeometry()),
            new LstmBuilder(),
            recorder,
            new MetricProperties(20_000, 500, Duration.ofMillis(250), 10, Duration.ofSeconds(60)));
    String training =
        "{\"epochs\":1,\"batchSize\":"
            + BATCH
            + ",\"optimizer\":\"ADAM\",\"learningRate\":0.001,\"seed\":1,\"maxTrainExamples\":"
            + samples
            + ",\"maxTestExamples\":1000}";
    long t0 = System.nanoTime();
    runner.train(
        new TrainingRequest(
            UUID.randomUUID(),
            "fashion-mnist",
            JSON.readValue(spec, ModelSpec.class),
            JSON.readValue(training, TrainingSpec.class).resolved()),
        TrainingFixtures.runToEnd(),
        new SerialisingStore());
    return new RunB(sps[0], (System.nanoTime() - t0) / 1e9);
  }

  /** Keeps the newest checkpoint's bytes, taken on the service's schedule. */
  static final class SerialisingStore implements CheckpointStore {
    volatile Checkpoint last;

    public Optional<Checkpoint> latest() {
      return Optional.empty();
    }

    public void save(Checkpoint checkpoint) {
      last = checkpoint;
    }

    public int everyIterations() {
      return 500;
    }
  }

  static double levelC(String model, int samples) throws Exception {
    String threads = Optional.ofNullable(System.getenv("OMP_NUM_THREADS")).orElse("1");
    // The one PyTorch script of the benchmarks (bench/run's too); its second epoch is timed, the
    // first warms up as the DL4J levels do.
    Process p =
        new ProcessBuilder(
                Optional.ofNullable(System.getenv("PERF_PYTHON")).orElse("/usr/bin/python3"),
                "bench/torch_families.py",
                model,
                "--threads",
                threads,
                "--examples",
                Integer.toString(samples),
                "--epochs",
                "2",
                "--batch",
                Integer.toString(BATCH))
            .redirectErrorStream(true)
            .start();
    String result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("{")) {
          result = line;
        } else {
          System.out.println("  python: " + line);
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException("torch_families.py failed");
    }
    return JsonMapper.builder().build().readTree(result).path("samplesPerSecond").asDouble();
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "?";
    }
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(Double::compare);
    int n = s.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
