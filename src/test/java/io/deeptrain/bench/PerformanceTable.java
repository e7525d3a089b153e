package io.deeptrain.bench;

import io.deeptrain.DeeptrainApplication;
import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.fixtures.TrainingFixtures;
import io.deeptrain.generative.GenerativeTrainers;
import io.deeptrain.job.QueueBench;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.metric.MetricSink;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.CheckpointStore;
import io.deeptrain.training.SpecTrainer;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingRunner;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Issue #10's performance table, every row in one run (bench/run): training samples/s per model
 * family on Fashion-MNIST in-process, as a job through the service and in PyTorch (interleaved per
 * repetition, medians and spread); classify throughput and latency over HTTP at 1, 8 and 32 clients
 * against the in-process batched loop; metric ingest, job claim and job-list latency with 10k jobs;
 * peak RSS and ND4J off-heap bytes per row.
 *
 * <p>The service runs in this JVM (HTTP on a free port, its own embedded PostgreSQL, dispatcher,
 * metric sink and checkpoints on), so in-process and service rows share one native library, one JIT
 * and the same thread settings. {@code --smoke}: tiny sizes, seconds, every row. Not a test.
 */
public final class PerformanceTable {

  /** One model family: its spec and training as a job would send them, and its sizes. */
  record Family(
      String name, String label, String spec, String training, int batch, int full, int smoke) {}

  static final List<Family> FAMILIES =
      List.of(
          new Family(
              "mlp",
              "MLP 784-256-128-10",
              """
              {"type":"MLP","layers":[{"units":256,"activation":"RELU"},\
              {"units":128,"activation":"RELU"}]}""",
              "\"optimizer\":\"ADAM\",\"learningRate\":0.001",
              64,
              30_000,
              512),
          new Family(
              "cnn",
              "TF-tutorial CNN",
              CnnTrainingBenchmark.TUTORIAL_CNN,
              "\"optimizer\":\"ADAM\",\"learningRate\":0.001",
              64,
              6_000,
              128),
          new Family(
              "lstm",
              "LSTM 128, rows as sequence",
              "{\"type\":\"LSTM\",\"layers\":[{\"units\":128}]}",
              "\"optimizer\":\"ADAM\",\"learningRate\":0.001",
              64,
              3_000,
              128),
          new Family(
              "vae",
              "dense VAE 784-400-20",
              """
              {"type":"VAE","architecture":"DENSE","hidden":[400],"latentSize":20,\
              "reconstruction":"BERNOULLI","latentLoss":"KL"}""",
              "\"optimizer\":\"ADAM\",\"learningRate\":0.001",
              128,
              15_000,
              256),
          new Family(
              "gan",
              "MLP GAN 64-256-512-784 / 784-512-256-1",
              """
              {"type":"GAN","architecture":"DENSE","latentSize":64,\
              "generator":{"hidden":[256,512],"learningRate":0.0004,"beta1":0.5},\
              "discriminator":{"hidden":[512,256],"learningRate":0.0002,"beta1":0.5},\
              "labelSmoothing":0.1,"discriminatorSteps":1}""",
              "",
              64,
              6_000,
              128),
          new Family(
              "diffusion",
              "diffusion denoiser U-Net 16-32-64",
              """
              {"type":"DIFFUSION","timesteps":1000,"betaSchedule":"COSINE",\
              "channels":[16,32,64],"timeEmbeddingSize":64}""",
              "\"optimizer\":\"ADAM\",\"learningRate\":0.002",
              32,
              1_500,
              64));

  /** Epochs per measurement; samples/s is the last one's (the first warms the JIT and caches). */
  static final int EPOCHS = 2;

  record Options(
      boolean smoke,
      int reps,
      List<String> families,
      String python,
      int threads,
      double inferenceSeconds,
      int queued,
      int latencySamples,
      int ingestPoints,
      Path out) {}

  public static void main(String[] args) throws Exception {
    boolean smoke = false;
    Integer reps = null;
    List<String> only = FAMILIES.stream().map(Family::name).toList();
    String python = "/usr/bin/python3";
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> smoke = true;
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--only" -> only = List.of(args[++i].split(","));
        case "--python" -> python = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String omp = System.getenv("OMP_NUM_THREADS");
    if (omp == null || !omp.matches("[1-9][0-9]*")) {
      throw new IllegalStateException(
          "set OMP_NUM_THREADS explicitly (bench/run does): both sides use that many threads");
    }
    for (String f : only) {
      if (FAMILIES.stream().noneMatch(x -> x.name().equals(f))) {
        throw new IllegalArgumentException("unknown family " + f);
      }
    }
    Options o =
        new Options(
            smoke,
            reps != null ? reps : smoke ? 1 : 3,
            only,
            python,
            Integer.parseInt(omp),
            smoke ? 1 : 10,
            smoke ? 500 : 10_000,
            smoke ? 20 : 300,
            smoke ? 5_000 : 200_000,
            out != null ? out : Path.of(smoke ? "target/bench-results" : "bench/results"));
    int status = 0;
    try {
      new PerformanceTable(o).run();
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    }
    // Exit even if a stray non-daemon thread (a client, a pool) is still alive.
    System.exit(status);
  }

  private final Options o;
  private final Map<String, Object> json = new LinkedHashMap<>();
  private final StringBuilder table = new StringBuilder();
  private final List<Map<String, Object>> targets = new ArrayList<>();

  private PerformanceTable(Options o) {
    this.o = o;
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    String load0 = loadAverage();
    ConfigurableApplicationContext app = startService();
    try {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      String base = "http://localhost:" + port;
      header(load0);
      String cnnModel = training(app, base);
      inference(base, cnnModel);
      queueAndMetrics(app, base);
      targetsSection();
    } finally {
      app.close();
    }
    double minutes = (System.nanoTime() - started) / 6e10;
    table.append(
        String.format(
            Locale.ROOT,
            "%nRun took %.1f min; load average at the end %s%n",
            minutes,
            loadAverage()));
    json.put("runMinutes", minutes);
    json.put("loadAverageEnd", loadAverage());
    json.put("targets", targets);
    write();
  }

  private ConfigurableApplicationContext startService() {
    // Command-line arguments: they take precedence over application.yml (default properties do
    // not). The end-of-job sample quality of generative jobs is measured on few images: it runs
    // after
    // the epochs, so it is not in samples/s, only in the run's budget.
    return new SpringApplicationBuilder(DeeptrainApplication.class)
        .run(
            "--server.port=0",
            "--deeptrain.embedded-postgres.data-dir=target/bench-run-postgres",
            "--deeptrain.embedded-postgres.clean-on-start=true",
            "--deeptrain.datasets.dir=target/bench-run-datasets",
            "--deeptrain.compute.threads=" + o.threads,
            "--deeptrain.jobs.max-queued=100000",
            "--deeptrain.quality.samples=" + (o.smoke ? 16 : 32),
            "--deeptrain.quality.test-images=" + (o.smoke ? 16 : 100),
            "--deeptrain.quality.reference-epochs=1",
            "--deeptrain.quality.reference-max-train-examples=" + (o.smoke ? 256 : 2000),
            "--management.endpoints.web.exposure.include=health,info,metrics",
            "--logging.level.root=WARN",
            "--logging.level.io.deeptrain=WARN");
  }

  private void header(String load) throws Exception {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("?");
    String machine =
        String.format(
            Locale.ROOT,
            "%s, %d cores, %.1f GiB RAM, Java %s",
            cpu,
            Runtime.getRuntime().availableProcessors(),
            memTotalBytes() / (double) (1L << 30),
            System.getProperty("java.version"));
    String threads =
        String.format(
            Locale.ROOT,
            "OMP_NUM_THREADS=%d for this JVM (in-process and service; deeptrain.compute.threads=%d"
                + " on the worker), torch.set_num_threads(%d) with OMP/OPENBLAS_NUM_THREADS=%d",
            o.threads,
            o.threads,
            o.threads,
            o.threads);
    table.append(
        String.format(
            Locale.ROOT,
            "deeptrain bench/run%s, %s%nmachine: %s%nthreads: %s%nload average at the start: %s%n",
            o.smoke ? " --smoke (tiny sizes: the numbers mean nothing)" : "",
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            machine,
            threads,
            load));
    json.put("date", LocalDate.now().toString());
    json.put("smoke", o.smoke);
    json.put("machine", machine);
    json.put("threads", o.threads);
    json.put("reps", o.reps);
    json.put("loadAverageStart", load);
  }

  // ---------------------------------------------------------------------------------- training

  /** What one measurement gave: samples/s, wall seconds and the memory of its row. */
  /**
   * One measurement: samples/s, wall seconds, the row's peak RSS, and its peak off-heap resident
   * bytes (RSS minus the used Java heap: ND4J's native buffers, which its CPU backend does not
   * count, plus the JVM's own metaspace, code and stacks; committed heap is not all resident).
   */
  record Sample(double samplesPerSecond, double wallSeconds, long peakRss, long offHeap) {}

  /** Runs every family's three sides, rep by rep; returns the model of the last CNN job. */
  private String training(ConfigurableApplicationContext app, String base) throws Exception {
    DatasetCatalog catalog = app.getBean(DatasetCatalog.class);
    MetricProperties metricProperties = app.getBean(MetricProperties.class);
    CapturedMetrics captured = new CapturedMetrics();
    TrainingRunner classifiers =
        new TrainingRunner(
            catalog,
            app.getBean(MlpBuilder.class),
            app.getBean(CnnBuilder.class),
            app.getBean(LstmBuilder.class),
            captured,
            metricProperties);
    List<SpecTrainer> generative =
        GenerativeTrainers.inProcess(catalog, captured, metricProperties);
    List<Family> families = FAMILIES.stream().filter(f -> o.families.contains(f.name())).toList();
    Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    String cnnModel = null;
    for (int rep = 1; rep <= o.reps; rep++) {
      for (Family f : families) {
        int examples = o.smoke ? f.smoke() : f.full();
        String trainingJson =
            "{\"epochs\":%d,\"batchSize\":%d,%s\"seed\":%d,\"maxTrainExamples\":%d,\"maxTestExamples\":%d}"
                .formatted(
                    EPOCHS,
                    f.batch(),
                    f.training().isEmpty() ? "" : f.training() + ",",
                    rep,
                    examples,
                    o.smoke ? 64 : 500);
        Map<String, List<Sample>> sides =
            samples.computeIfAbsent(f.name(), k -> new LinkedHashMap<>());
        // A: the trainer classes called directly, metrics kept in memory, no checkpoints.
        UUID id = UUID.randomUUID();
        TrainingRequest request =
            new TrainingRequest(
                id,
                "fashion-mnist",
                CnnTrainingBenchmark.JSON.readValue(f.spec(), ModelSpec.class),
                CnnTrainingBenchmark.JSON.readValue(trainingJson, TrainingSpec.class).resolved());
        Probe probe = Probe.start();
        long t0 = System.nanoTime();
        SpecTrainer special =
            generative.stream().filter(t -> t.trains(request.spec())).findFirst().orElse(null);
        if (special != null) {
          special.train(request, TrainingFixtures.runToEnd(), CheckpointStore.none());
        } else {
          classifiers.train(request, TrainingFixtures.runToEnd());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        List<Double> sps = captured.series(id, "samples_per_second");
        Sample a = probe.stop(last(sps), wall);
        captured.forget(id);
        sides.computeIfAbsent("inProcess", k -> new ArrayList<>()).add(a);
        progress(rep, f, "in-process", a);

        // B: the same as a job through HTTP, queue, worker, metric sink and checkpoints.
        probe = Probe.start();
        CnnTrainingBenchmark.JobResult job =
            CnnTrainingBenchmark.runJob(
                base,
                "bench-" + f.name() + "-" + rep,
                f.spec(),
                trainingJson,
                Duration.ofMinutes(30));
        Sample b = probe.stop(last(job.epochSamplesPerSecond()), job.wallSeconds());
        sides.computeIfAbsent("service", k -> new ArrayList<>()).add(b);
        progress(rep, f, "service", b);
        if (f.name().equals("cnn")) {
          cnnModel = job.modelId();
        }

        // C: PyTorch, same architecture, batch, optimizer, examples, epochs and threads.
        Sample c = torch(f, examples);
        sides.computeIfAbsent("pytorch", k -> new ArrayList<>()).add(c);
        progress(rep, f, "pytorch", c);
      }
    }
    trainingTable(families, samples);
    return cnnModel;
  }

  private void trainingTable(List<Family> families, Map<String, Map<String, List<Sample>>> all) {
    table.append(
        String.format(
            Locale.ROOT,
            "%nTraining on Fashion-MNIST: samples/s of the last of %d epochs (the trainer's own"
                + " timing of its iterations), median [min-max] of %d rep(s)%n",
            EPOCHS,
            o.reps));
    table.append(
        String.format(
            Locale.ROOT,
            "%-10s %6s %5s | %-22s | %-22s | %-22s | %7s %7s %7s | %-17s | %-11s%n",
            "family",
            "exampl",
            "batch",
            "DL4J in-process",
            "DL4J service job",
            "PyTorch CPU",
            "svc/in",
            "svc/pt",
            "in/pt",
            "peak RSS MiB i/s/p",
            "off-heap MiB"));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Family f : families) {
      Map<String, List<Sample>> s = all.get(f.name());
      List<Double> in = sps(s.get("inProcess"));
      List<Double> svc = sps(s.get("service"));
      List<Double> pt = sps(s.get("pytorch"));
      double mi = median(in);
      double ms = median(svc);
      double mp = median(pt);
      table.append(
          String.format(
              Locale.ROOT,
              "%-10s %6d %5d | %-22s | %-22s | %-22s | %7.3f %7.3f %7.3f | %5s %5s %5s | %5s %5s%n",
              f.name(),
              o.smoke ? f.smoke() : f.full(),
              f.batch(),
              spread(in),
              spread(svc),
              spread(pt),
              ms / mi,
              ms / mp,
              mi / mp,
              mib(maxRss(s.get("inProcess"))),
              mib(maxRss(s.get("service"))),
              mib(maxRss(s.get("pytorch"))),
              mib(maxOffHeap(s.get("inProcess"))),
              mib(maxOffHeap(s.get("service")))));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("family", f.name());
      row.put("model", f.label());
      row.put("spec", CnnTrainingBenchmark.JSON.readTree(f.spec()));
      row.put("examplesPerEpoch", o.smoke ? f.smoke() : f.full());
      row.put("batchSize", f.batch());
      row.put("epochs", EPOCHS);
      row.put("inProcess", s.get("inProcess"));
      row.put("service", s.get("service"));
      row.put("pytorch", s.get("pytorch"));
      row.put("medianSamplesPerSecond", Map.of("inProcess", mi, "service", ms, "pytorch", mp));
      row.put("ratioServiceToInProcess", ms / mi);
      row.put("ratioServiceToPytorch", ms / mp);
      row.put("ratioInProcessToPytorch", mi / mp);
      rows.add(row);
      target("DL4J service / PyTorch >= 1.0, " + f.name(), ms / mp, ms / mp >= 1.0);
      target("service overhead <= 3 %, " + f.name(), 1 - ms / mi, ms / mi >= 0.97);
    }
    table.append(
        "(svc/in: service job / in-process, 1 - it is the service's overhead; svc/pt and in/pt:"
            + " DL4J / PyTorch, > 1 means DL4J is faster. Peak RSS: the process's high-water mark"
            + " during the row, after resetting it to the current RSS (in-process and service"
            + " share this JVM; i/s/p = in-process/service/PyTorch); off-heap: peak of RSS minus"
            + " the used Java heap, sampled every 50 ms: ND4J's native buffers (its CPU"
            + " backend counts none of them) plus the JVM's metaspace, code and stacks. Service"
            + " samples/s is the job's own samples_per_second metric of its last epoch (rows /"
            + " seconds of the iteration loop, read back from GET /jobs/{id}/metrics), so JVM"
            + " startup, queueing, evaluation and model registration are excluded; the sink,"
            + " checkpoints every 500 iterations, heartbeats and HTTP polling are included)\n");
    json.put("training", rows);
  }

  private static void progress(int rep, Family f, String side, Sample s) {
    System.out.printf(
        Locale.ROOT,
        "rep %d %-10s %-11s %10.1f samples/s, %6.1f s, peak RSS %s MiB%n",
        rep,
        f.name(),
        side,
        s.samplesPerSecond(),
        s.wallSeconds(),
        mib(s.peakRss()));
  }

  private Sample torch(Family f, int examples) throws Exception {
    List<String> command =
        List.of(
            o.python,
            "bench/torch_families.py",
            f.name(),
            "--threads",
            String.valueOf(o.threads),
            "--examples",
            String.valueOf(examples),
            "--epochs",
            String.valueOf(EPOCHS),
            "--batch",
            String.valueOf(f.batch()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    String t = String.valueOf(o.threads);
    pb.environment().put("OMP_NUM_THREADS", t);
    pb.environment().put("OPENBLAS_NUM_THREADS", t);
    pb.environment().put("MKL_NUM_THREADS", t);
    long t0 = System.nanoTime();
    Process p = pb.start();
    // A stopped run (Ctrl-C, bench/run's trap) must not leave PyTorch training behind.
    Thread reaper = new Thread(p::destroyForcibly, "bench-torch-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    } finally {
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    if (p.exitValue() != 0 || !last.startsWith("{")) {
      throw new IllegalStateException(
          "PyTorch run failed (" + command + "): " + String.join("\n", lines));
    }
    JsonNode r = CnnTrainingBenchmark.JSON.readTree(last);
    json.putIfAbsent(
        "pytorch", Map.of("blas", r.path("blas").asText(), "torch", r.path("torch").asText()));
    return new Sample(
        r.path("samplesPerSecond").asDouble(), wall, r.path("peakRssBytes").asLong(), -1);
  }

  // --------------------------------------------------------------------------------- inference

  private void inference(String base, String modelId) throws Exception {
    if (modelId == null) {
      table.append("\nInference: skipped (needs the cnn family's service job for its model)\n");
      return;
    }
    byte[] zip = InferenceBatchingBenchmark.get(base + "/api/v1/models/" + modelId + "/artifact");
    System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
    ComputationGraph net =
        ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
    float[][] images = InferenceBatchingBenchmark.testImages(InferenceBatchingBenchmark.IMAGES);
    List<String> bodies = InferenceBatchingBenchmark.bodies(images, "instances", 1);
    String path = base + "/api/v1/models/" + modelId + "/classify";
    int batch = 32;
    ProcessHandle self = ProcessHandle.current();
    InferenceBatchingBenchmark.post(HttpClient.newHttpClient(), path, bodies.get(0));
    // Unmeasured: the JIT compiles the request path only after thousands of calls.
    InferenceBatchingBenchmark.load(
        base, self, path, bodies, 32, o.smoke ? 1 : 5, o.inferenceSeconds);
    List<Integer> levels = List.of(1, 8, 32);
    List<InferenceBatchingBenchmark.Loop> loops = new ArrayList<>();
    List<Long> loopRss = new ArrayList<>();
    List<Long> loopOff = new ArrayList<>();
    Map<Integer, List<InferenceBatchingBenchmark.Level>> runs = new LinkedHashMap<>();
    Map<Integer, List<long[]>> levelMemory = new LinkedHashMap<>();
    for (int rep = 1; rep <= Math.max(1, Math.min(o.reps, 2)); rep++) {
      Probe probe = Probe.start();
      loops.add(InferenceBatchingBenchmark.inProcess(net, images, batch, o.inferenceSeconds));
      Sample m = probe.stop(0, 0);
      loopRss.add(m.peakRss());
      loopOff.add(m.offHeap());
      for (int clients : levels) {
        probe = Probe.start();
        runs.computeIfAbsent(clients, k -> new ArrayList<>())
            .add(
                InferenceBatchingBenchmark.load(
                    base, self, path, bodies, clients, o.smoke ? 1 : 3, o.inferenceSeconds));
        m = probe.stop(0, 0);
        levelMemory
            .computeIfAbsent(clients, k -> new ArrayList<>())
            .add(new long[] {m.peakRss(), m.offHeap()});
      }
    }
    net.close();
    double loop =
        median(loops.stream().map(InferenceBatchingBenchmark.Loop::imagesPerSecond).toList());
    table.append(
        String.format(
            Locale.ROOT,
            "%nInference: classify the TF-tutorial CNN (the cnn service job's model), one"
                + " Fashion-MNIST test image per request, %.0f s per level, median of %d rep(s)%n",
            o.inferenceSeconds,
            loops.size()));
    table.append(
        String.format(
            Locale.ROOT,
            "%-28s %-22s %8s %8s %8s %7s | %-9s | %-11s%n",
            "mode",
            "images/s",
            "p50 ms",
            "p99 ms",
            "vs loop",
            "batch",
            "RSS MiB",
            "off-heap MiB"));
    InferenceBatchingBenchmark.Loop mid = loops.get((loops.size() - 1) / 2);
    table.append(
        String.format(
            Locale.ROOT,
            "%-28s %-22s %8.2f %8.2f %8s %7d | %9s | %11s%n",
            "in-process loop, batch " + batch,
            spread(loops.stream().map(InferenceBatchingBenchmark.Loop::imagesPerSecond).toList()),
            mid.p50(),
            mid.p99(),
            "1.000",
            batch,
            mib(loopRss.stream().mapToLong(x -> x).max().orElse(-1)),
            mib(loopOff.stream().mapToLong(x -> x).max().orElse(-1))));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int clients : levels) {
      List<InferenceBatchingBenchmark.Level> r = new ArrayList<>(runs.get(clients));
      r.sort(
          java.util.Comparator.comparingDouble(InferenceBatchingBenchmark.Level::imagesPerSecond));
      InferenceBatchingBenchmark.Level l = r.get((r.size() - 1) / 2);
      List<Double> ips = r.stream().map(InferenceBatchingBenchmark.Level::imagesPerSecond).toList();
      long rss = levelMemory.get(clients).stream().mapToLong(x -> x[0]).max().orElse(-1);
      long off = levelMemory.get(clients).stream().mapToLong(x -> x[1]).max().orElse(-1);
      table.append(
          String.format(
              Locale.ROOT,
              "%-28s %-22s %8.2f %8.2f %8.3f %7.1f | %9s | %11s%n",
              "HTTP, " + clients + " client(s)",
              spread(ips),
              l.p50(),
              l.p99(),
              l.imagesPerSecond() / loop,
              l.meanBatchRows(),
              mib(rss),
              mib(off)));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("clients", clients);
      row.put("imagesPerSecond", ips);
      row.put("p50Ms", l.p50());
      row.put("p99Ms", l.p99());
      row.put("errors", l.errors());
      row.put("meanBatchRows", l.meanBatchRows());
      row.put("ratioToInProcess", l.imagesPerSecond() / loop);
      row.put("peakRssBytes", rss);
      row.put("offHeapBytes", off);
      rows.add(row);
      if (l.errors() > 0) {
        throw new IllegalStateException(
            l.errors() + " classify requests failed at " + clients + " clients");
      }
      if (clients == 32) {
        target(
            "inference at 32 clients >= 80 % of in-process",
            l.imagesPerSecond() / loop, l.imagesPerSecond() / loop >= 0.8);
      }
    }
    table.append(
        "(vs loop: HTTP images/s / in-process loop images/s; batch: mean rows per network call"
            + " of the service's micro-batcher; the loop's p50/p99 are per batch of "
            + batch
            + "; clients and service share this JVM and the 2 cores)\n");
    json.put(
        "inference",
        Map.of(
            "model", modelId,
            "inProcessLoop",
                Map.of(
                    "imagesPerSecond",
                    loops.stream().map(InferenceBatchingBenchmark.Loop::imagesPerSecond).toList(),
                    "p50BatchMs",
                    mid.p50(),
                    "p99BatchMs",
                    mid.p99(),
                    "batch",
                    batch),
            "http", rows));
  }

  // ------------------------------------------------------------------------ queue and metrics

  private void queueAndMetrics(ConfigurableApplicationContext app, String base) throws Exception {
    QueueBench queue = new QueueBench(app);
    // Seeded jobs must stay queued: nothing else claims them while the claim is timed.
    queue.stopDispatch();
    try {
      long t0 = System.nanoTime();
      List<UUID> ids = queue.seed(o.queued);
      double seedSeconds = (System.nanoTime() - t0) / 1e9;
      table.append(
          String.format(
              Locale.ROOT,
              "%nQueue and metrics (%,d jobs inserted QUEUED in %.1f s; dispatcher stopped)%n",
              o.queued,
              seedSeconds));
      table.append(
          String.format(
              Locale.ROOT,
              "%-44s %14s %9s %9s | %-9s | %-11s%n",
              "row",
              "rate",
              "p50 ms",
              "p99 ms",
              "RSS MiB",
              "off-heap MiB"));

      // Metric ingest: one producer thread through MetricSink into metric_points, until flushed.
      MetricSink sink = app.getBean(MetricSink.class);
      UUID job = ids.get(0);
      Probe probe = Probe.start();
      long i0 = System.nanoTime();
      // At most ingestPoints, and stop producing after 20 s so a slow database cannot eat the run.
      long stopAt = i0 + 20_000_000_000L;
      int points = 0;
      while (points < o.ingestPoints && (points % 1000 != 0 || System.nanoTime() < stopAt)) {
        sink.record(job, "bench_ingest", points, 0, points * 0.5);
        points++;
      }
      sink.flush();
      double ingestSeconds = (System.nanoTime() - i0) / 1e9;
      Sample m = probe.stop(0, 0);
      double pointsPerSecond = points / ingestSeconds;
      table.append(
          String.format(
              Locale.ROOT,
              "%-44s %9.0f pt/s %9s %9s | %9s | %11s%n",
              "metric ingest, " + String.format(Locale.ROOT, "%,d", points) + " points",
              pointsPerSecond,
              "-",
              "-",
              mib(m.peakRss()),
              mib(m.offHeap())));
      json.put(
          "metricIngest",
          Map.of(
              "points",
              o.ingestPoints,
              "seconds",
              ingestSeconds,
              "pointsPerSecond",
              pointsPerSecond));
      target("metric ingest >= 50k points/s", pointsPerSecond, pointsPerSecond >= 50_000);

      // Claim: the worker's claim statement against the full queue, one job per claim.
      probe = Probe.start();
      List<Double> claims = new ArrayList<>();
      for (int i = 0; i < o.latencySamples; i++) {
        long c0 = System.nanoTime();
        int got = queue.claimOne("bench-claimer");
        claims.add((System.nanoTime() - c0) / 1e6);
        if (got != 1) {
          throw new IllegalStateException("the claim found no queued job");
        }
      }
      m = probe.stop(0, 0);
      latencyRow(
          "job claim, " + String.format(Locale.ROOT, "%,d", o.queued) + " queued", claims, m);
      json.put("claim", latencyJson(claims, o.queued));
      double claimP50 = InferenceBatchingBenchmark.percentile(claims, 50);
      target("claim p50 < 20 ms with 10k queued", claimP50, claimP50 < 20);

      // GET /api/v1/jobs (the first page, newest first) with the seeded jobs in the table.
      probe = Probe.start();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest list = HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs")).GET().build();
      for (int i = 0; i < Math.min(20, o.latencySamples); i++) {
        http.send(list, java.net.http.HttpResponse.BodyHandlers.discarding());
      }
      List<Double> gets = new ArrayList<>();
      for (int i = 0; i < o.latencySamples; i++) {
        long g0 = System.nanoTime();
        int status =
            http.send(list, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        gets.add((System.nanoTime() - g0) / 1e6);
        if (status != 200) {
          throw new IllegalStateException("GET /api/v1/jobs gave " + status);
        }
      }
      m = probe.stop(0, 0);
      latencyRow(
          "GET /api/v1/jobs, " + String.format(Locale.ROOT, "%,d", o.queued) + "+ jobs", gets, m);
      json.put("listJobs", latencyJson(gets, o.queued));
      table.append(
          String.format(
              Locale.ROOT,
              "(latency rows: %d sequential calls each, one client; ingest: one producer"
                  + " thread recording points, time until MetricSink.flush() returns)%n",
              o.latencySamples));
    } finally {
      queue.cleanUp();
    }
  }

  private void latencyRow(String name, List<Double> ms, Sample m) {
    table.append(
        String.format(
            Locale.ROOT,
            "%-44s %10.0f /s %9.2f %9.2f | %9s | %11s%n",
            name,
            ms.size() / (ms.stream().mapToDouble(Double::doubleValue).sum() / 1000),
            InferenceBatchingBenchmark.percentile(ms, 50),
            InferenceBatchingBenchmark.percentile(ms, 99),
            mib(m.peakRss()),
            mib(m.offHeap())));
  }

  private static Map<String, Object> latencyJson(List<Double> ms, int jobs) {
    return Map.of(
        "jobs", jobs,
        "calls", ms.size(),
        "p50Ms", InferenceBatchingBenchmark.percentile(ms, 50),
        "p99Ms", InferenceBatchingBenchmark.percentile(ms, 99),
        "maxMs", ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
  }

  // ---------------------------------------------------------------------------------- targets

  private void target(String name, double value, boolean met) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("target", name);
    t.put("value", value);
    t.put("met", met);
    targets.add(t);
  }

  private void targetsSection() {
    table.append("\nTargets (issue #10)\n");
    for (Map<String, Object> t : targets) {
      table.append(
          String.format(
              Locale.ROOT,
              "  %-4s %-50s %s%n",
              (Boolean) t.get("met") ? "met" : "MISS",
              t.get("target"),
              fmt((Double) t.get("value"))));
    }
  }

  private void write() throws Exception {
    String stamp = LocalDate.now().toString();
    Files.createDirectories(o.out);
    Path txt = o.out.resolve(stamp + ".txt");
    Path js = o.out.resolve(stamp + ".json");
    json.put("table", table.toString());
    Files.writeString(txt, table.toString());
    Files.writeString(
        js, CnnTrainingBenchmark.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    System.out.println();
    System.out.print(table);
    System.out.println("wrote " + txt + " and " + js);
  }

  // ----------------------------------------------------------------------------------- support

  /** The in-process runs' metrics, kept in memory by job id. */
  static final class CapturedMetrics implements MetricRecorder {
    private final Map<String, List<Double>> series = new ConcurrentHashMap<>();

    @Override
    public void record(UUID jobId, String name, long step, int epoch, double value) {
      series.computeIfAbsent(jobId + "/" + name, k -> new CopyOnWriteArrayList<>()).add(value);
    }

    List<Double> series(UUID jobId, String name) {
      return series.getOrDefault(jobId + "/" + name, List.of());
    }

    void forget(UUID jobId) {
      series.keySet().removeIf(k -> k.startsWith(jobId + "/"));
    }
  }

  /**
   * A row's memory: resets the kernel's peak-RSS mark of this process at the start and reads it at
   * the end; samples ND4J's tracked off-heap bytes (and JavaCPP's count) every 50 ms.
   */
  static final class Probe {
    private volatile boolean running = true;
    private volatile long offHeap;
    private final Thread sampler;

    private Probe() {
      var heap = java.lang.management.ManagementFactory.getMemoryMXBean();
      // ND4J's own counts (AllocationsTracker, JavaCPP) stay near 0 on the CPU backend, so the
      // resident bytes outside the used heap are the measure; the larger of the two is kept.
      LongSupplier nd4j =
          () ->
              Math.max(
                  statusBytes("VmRSS") - heap.getHeapMemoryUsage().getUsed(),
                  Math.max(
                      AllocationsTracker.getInstance().bytesOnDevice(0), Pointer.totalBytes()));
      offHeap = nd4j.getAsLong();
      sampler =
          new Thread(
              () -> {
                while (running) {
                  offHeap = Math.max(offHeap, nd4j.getAsLong());
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-probe");
      sampler.setDaemon(true);
      sampler.start();
    }

    static Probe start() {
      try {
        // 5 = reset the peak RSS (VmHWM) to the current RSS (Linux 4.0+).
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      } catch (Exception e) {
        // Then VmHWM is the process's peak so far: still an upper bound.
      }
      return new Probe();
    }

    Sample stop(double samplesPerSecond, double wallSeconds) throws InterruptedException {
      running = false;
      sampler.interrupt();
      sampler.join();
      return new Sample(samplesPerSecond, wallSeconds, statusBytes("VmHWM"), offHeap);
    }
  }

  static long statusBytes(String field) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith(field + ":")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  static long memTotalBytes() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (l.startsWith("MemTotal:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  static double last(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalStateException("the run recorded no samples_per_second");
    }
    return values.get(values.size() - 1);
  }

  static List<Double> sps(List<Sample> s) {
    return s.stream().map(Sample::samplesPerSecond).toList();
  }

  static long maxRss(List<Sample> s) {
    return s.stream().mapToLong(Sample::peakRss).max().orElse(-1);
  }

  static long maxOffHeap(List<Sample> s) {
    return s.stream().mapToLong(Sample::offHeap).max().orElse(-1);
  }

  static double median(List<Double> v) {
    return CnnTrainingBenchmark.median(v);
  }

  static String spread(List<Double> v) {
    return String.format(
        Locale.ROOT,
        "%s [%s-%s]",
        fmt(median(v)),
        fmt(CnnTrainingBenchmark.min(v)),
        fmt(CnnTrainingBenchmark.max(v)));
  }

  static String fmt(double v) {
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.3g", v);
  }

  static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }
}
