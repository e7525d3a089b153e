package io.deeptrain.bench;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue #7's serving figure: single-image classify requests from 1, 8 and 32 concurrent HTTP
 * clients against the packaged service (its micro-batcher merging them), next to an in-process loop
 * calling the same model zip in batches of the batcher's maximum size on one thread with the same
 * native thread count. The model is the TF-tutorial CNN (28x28x1) trained briefly on Fashion-MNIST
 * by the service itself; inputs are real Fashion-MNIST test images.
 *
 * <p>Run with {@code bench/inference-batching [--seconds S] [--clients 1,8,32] [--input
 * instances|png] [--port N] [--service-arg --deeptrain.x=y]...}; writes
 * bench/results/inference-batching-DATE.txt and .json. Not a test: it never runs in {@code mvn
 * verify}.
 */
public final class InferenceBatchingBenchmark {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
  static final int IMAGES = 1000;

  public static void main(String[] args) throws Exception {
    int port = 18097;
    double seconds = 20;
    List<Integer> levels = List.of(1, 8, 32);
    String input = "instances";
    int perRequest = 1;
    int trainExamples = 12000;
    int batch = 32;
    int reps = 2;
    String jar = null;
    List<String> serviceArgs = new ArrayList<>();
    List<String> jvmArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--clients" ->
            levels = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--input" -> input = args[++i];
        case "--images-per-request" -> perRequest = Integer.parseInt(args[++i]);
        case "--train-examples" -> trainExamples = Integer.parseInt(args[++i]);
        case "--max-batch-size" -> batch = Integer.parseInt(args[++i]);
        case "--jar" -> jar = args[++i];
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--service-arg" -> serviceArgs.add(args[++i]);
        case "--service-jvm-arg" -> jvmArgs.add(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String omp = System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)");
    float[][] images = testImages(IMAGES);
    String base = "http://localhost:" + port;
    Path dataDir = Path.of("target/bench-inference");
    List<String> command =
        new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-jar",
            jar,
            "--server.port=" + port,
            "--deeptrain.embedded-postgres.data-dir=" + dataDir.resolve("postgres"),
            "--deeptrain.embedded-postgres.clean-on-start=true",
            "--deeptrain.datasets.dir=" + dataDir.resolve("datasets"),
            "--deeptrain.inference.batching.max-batch-size=" + batch,
            "--management.endpoints.web.exposure.include=health,info,metrics",
            "--logging.level.root=WARN",
            "--logging.level.io.deeptrain=INFO"));
    command.addAll(serviceArgs);
    Files.createDirectories(dataDir);
    File log = new File("target/bench-inference-service.log");
    Process service =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    Map<String, Object> results = new LinkedHashMap<>();
    StringBuilder report = new StringBuilder();
    try {
      awaitUp(base, service, Duration.ofMinutes(3));
      String modelId = trainModel(base, trainExamples);
      byte[] zip = get(base + "/api/v1/models/" + modelId + "/artifact");

      // In-process: the same zip, batches of the batcher's size, this thread only.
      System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
      ComputationGraph net =
          ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
      List<String> bodies = bodies(images, input, perRequest);
      imagesPerRequest = perRequest;
      String path = base + "/api/v1/models/" + modelId + "/classify";
      // Loads and warms the model up before measuring.
      post(HttpClient.newHttpClient(), path, bodies.get(0));
      // The JIT compiles the request path only after thousands of calls: at one client that took
      // longer than a whole level (C2 busy, ~1.4 ms per request on the request threads instead of
      // ~0.3), so warm it up with the busiest level first, unmeasured.
      load(base, service, path, bodies, levels.get(levels.size() - 1), seconds);
      // Loop and HTTP levels alternate, so that both see the machine's other load alike.
      List<Loop> loops = new ArrayList<>();
      Map<Integer, List<Level>> runs = new LinkedHashMap<>();
      for (int rep = 1; rep <= reps; rep++) {
        Loop l = inProcess(net, images, batch, seconds);
        System.out.printf(
            Locale.ROOT,
            "rep %d in-process loop: %.1f images/s on %.2f cores%n",
            rep,
            l.imagesPerSecond,
            l.cores);
        loops.add(l);
        for (int clients : levels) {
          runs.computeIfAbsent(clients, k -> new ArrayList<>())
              .add(load(base, service, path, bodies, clients, seconds));
        }
      }
      net.close();
      loops.sort(java.util.Comparator.comparingDouble(Loop::imagesPerSecond));
      Loop loop = loops.get((loops.size() - 1) / 2);
      List<Level> measured = new ArrayList<>();
      for (List<Level> r : runs.values()) {
        r.sort(java.util.Comparator.comparingDouble(Level::imagesPerSecond));
        measured.add(r.get((r.size() - 1) / 2));
      }
      // The HTTP floor: the same clients on an endpoint that does nothing (no body, no model).
      Level floor =
          load(
              base,
              service,
              base + "/actuator/health/liveness",
              null,
              levels.get(levels.size() - 1),
              seconds);

      String header =
          String.format(
              Locale.ROOT,
              "Inference batching, TF-tutorial CNN 28x28x1 (Fashion-MNIST, %d training images, 1"
                  + " epoch), %s, %d cores, OMP_NUM_THREADS=%s, max-batch-size %d, %s requests of"
                  + " %d image(s), %.0f s per level, median of %d reps%n",
              trainExamples,
              LocalDate.now(),
              Runtime.getRuntime().availableProcessors(),
              omp,
              batch,
              input,
              perRequest,
              seconds,
              reps);
      report.append(header).append('\n');
      report.append(
          String.format(
              Locale.ROOT,
              "%-26s %10s %8s %8s %8s %7s %8s %8s %8s%n",
              "mode",
              "images/s",
              "p50 ms",
              "p99 ms",
              "vs loop",
              "batch",
              "svc cpu",
              "gen cpu",
              "others"));
      report.append(
          String.format(
              Locale.ROOT,
              "%-26s %10.1f %8.2f %8.2f %8s %7d %8.2f %8s %8s%n",
              "in-process loop",
              loop.imagesPerSecond,
              loop.p50,
              loop.p99,
              "1.000",
              batch,
              loop.cores,
              "-",
              "-"));
      for (Level l : measured) {
        report.append(
            String.format(
                Locale.ROOT,
                "%-26s %10.1f %8.2f %8.2f %8.3f %7.1f %8.2f %8.2f %8.2f%n",
                "HTTP, " + l.clients + " client(s)",
                l.imagesPerSecond,
                l.p50,
                l.p99,
                l.imagesPerSecond / loop.imagesPerSecond,
                l.meanBatchRows,
                l.serviceCores,
                l.clientCores,
                l.otherCores));
      }
      report.append(
          String.format(
              Locale.ROOT,
              "%-26s %10.1f %8.2f %8.2f %8.3f %7s %8.2f %8.2f %8.2f%n",
              "HTTP floor, " + floor.clients + " clients",
              floor.imagesPerSecond,
              floor.p50,
              floor.p99,
              floor.imagesPerSecond / loop.imagesPerSecond,
              "-",
              floor.serviceCores,
              floor.clientCores,
              floor.otherCores));
      report
          .append(
              "\n(HTTP floor: GET /actuator/health/liveness, requests/s of an endpoint that does"
                  + " nothing)")
          .append(
              "\n(batch: mean rows per network call; cpu columns: cores busy on average, of "
                  + Runtime.getRuntime().availableProcessors()
                  + ", for the service, this load generator, and all other processes on the"
                  + " machine; the p50/p99 of the loop are per batch)\n");
      System.out.print(report);

      results.put("date", LocalDate.now().toString());
      results.put(
          "machine",
          Runtime.getRuntime().availableProcessors()
              + " cores, "
              + System.getProperty("java.version"));
      results.put("ompNumThreads", omp);
      results.put(
          "model", "TF-tutorial CNN 28x28x1, Fashion-MNIST, " + trainExamples + " images, 1 epoch");
      results.put("modelId", modelId);
      results.put("maxBatchSize", batch);
      results.put("input", input);
      results.put("secondsPerLevel", seconds);
      results.put("serviceArgs", serviceArgs);
      results.put(
          "inProcess",
          Map.of(
              "imagesPerSecond",
              loop.imagesPerSecond,
              "p50BatchMs",
              loop.p50,
              "p99BatchMs",
              loop.p99,
              "cores",
              loop.cores));
      List<Map<String, Object>> levelsOut = new ArrayList<>();
      for (Level l : measured) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", l.clients);
        m.put("requests", l.requests);
        m.put("errors", l.errors);
        m.put("imagesPerSecond", l.imagesPerSecond);
        m.put("p50Ms", l.p50);
        m.put("p99Ms", l.p99);
        m.put("ratioToInProcess", l.imagesPerSecond / loop.imagesPerSecond);
        m.put("meanBatchRows", l.meanBatchRows);
        m.put("serviceCores", l.serviceCores);
        m.put("loadGeneratorCores", l.clientCores);
        m.put("otherProcessesCores", l.otherCores);
        levelsOut.add(m);
      }
      results.put("http", levelsOut);
      results.put("reps", reps);
      results.put("inProcessRuns", loops.stream().map(Loop::imagesPerSecond).sorted().toList());
      Map<String, Object> all = new LinkedHashMap<>();
      runs.forEach(
          (clients, r) ->
              all.put(
                  clients + " clients", r.stream().map(Level::imagesPerSecond).sorted().toList()));
      results.put("httpRuns", all);
      results.put(
          "httpFloor",
          Map.of(
              "clients", floor.clients,
              "requestsPerSecond", floor.imagesPerSecond,
              "p50Ms", floor.p50,
              "p99Ms", floor.p99,
              "serviceCores", floor.serviceCores,
              "loadGeneratorCores", floor.clientCores));
      String stamp =
          LocalDate.now()
              + (input.equals("png") ? "-png" : "")
              + (perRequest > 1 ? "-x" + perRequest : "");
      Path txt = Path.of("bench/results/inference-batching-" + stamp + ".txt");
      Files.createDirectories(txt.getParent());
      Files.writeString(txt, report.toString());
      Files.writeString(
          Path.of("bench/results/inference-batching-" + stamp + ".json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
      System.out.println("wrote " + txt + " (and .json)");
    } finally {
      service.destroy();
      service.waitFor();
    }
  }

  record Loop(double imagesPerSecond, double p50, double p99, double cores) {}

  /** One load level; CPU figures are cores busy on average (2 = the whole machine here). */
  record Level(
      int clients,
      long requests,
      long errors,
      double imagesPerSecond,
      double p50,
      double p99,
      double meanBatchRows,
      double serviceCores,
      double clientCores,
      double otherCores) {}

  static Loop inProcess(ComputationGraph net, float[][] images, int batch, double seconds) {
    int n = images.length;
    float[] flat = new float[n * 784];
    for (int i = 0; i < n; i++) {
      System.arraycopy(images[i], 0, flat, i * 784, 784);
    }
    List<Double> latencies = new ArrayList<>();
    long warmEnd = System.nanoTime() + 2_000_000_000L;
    long start = 0;
    long done = 0;
    int at = 0;
    boolean measuring = false;
    long end = Long.MAX_VALUE;
    long cpu0 = 0;
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    while (true) {
      long now = System.nanoTime();
      if (!measuring && now >= warmEnd) {
        measuring = true;
        start = now;
        cpu0 = threads.getCurrentThreadCpuTime();
        end = now + (long) (seconds * 1e9);
      }
      if (measuring && now >= end) {
        break;
      }
      if (at + batch > n) {
        at = 0;
      }
      float[] part = Arrays.copyOfRange(flat, at * 784, (at + batch) * 784);
      long t0 = System.nanoTime();
      // As the batcher does: build the batch, run it, copy the output out.
      try (INDArray x = Nd4j.create(part, new long[] {batch, 1, 28, 28}, 'c');
          INDArray out = net.outputSingle(false, x)) {
        out.data().asFloat();
      }
      at += batch;
      if (measuring) {
        latencies.add((System.nanoTime() - t0) / 1e6);
        done += batch;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cores = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9 / elapsed;
    return new Loop(done / elapsed, percentile(latencies, 50), percentile(latencies, 99), cores);
  }

  static Level load(
      String base, Process service, String path, List<String> bodies, int clients, double seconds)
      throws Exception {
    return load(base, service.toHandle(), path, bodies, clients, 10, seconds);
  }

  /**
   * {@code clients} threads sending {@code bodies} round-robin (or GETs when null) for {@code
   * warmup} unmeasured then {@code seconds} measured seconds. {@code service} is the process whose
   * CPU counts as the service's (this one when the service runs in-process).
   */
  static Level load(
      String base,
      ProcessHandle service,
      String path,
      List<String> bodies,
      int clients,
      double warmup,
      double seconds)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<List<Double>> latencies = new ArrayList<>();
    long[] errors = new long[clients];
    CyclicBarrier ready = new CyclicBarrier(clients + 1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      List<Double> mine = new ArrayList<>();
      latencies.add(mine);
      int id = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  ready.await();
                  int i = id * 7919;
                  while (!stop.get()) {
                    String body =
                        bodies == null ? null : bodies.get(Math.floorMod(i++, bodies.size()));
                    long t0 = System.nanoTime();
                    int status;
                    try {
                      status = body == null ? getStatus(http, path) : post(http, path, body);
                    } catch (java.io.IOException e) {
                      status = -1;
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (measuring.get()) {
                      if (status == 200) {
                        mine.add(ms);
                      } else {
                        errors[id]++;
                      }
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              "client-" + c);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    ready.await();
    double elapsed;
    long serviceCpu;
    long ownCpu;
    long[] machine0;
    long[] machine1;
    double[] batches0;
    double[] batches1;
    // A failure (the service gone, a metrics call refused) must not leave the clients running.
    try {
      // Warm-up: connections, the batcher's steady state, and the JIT (its compiler threads took a
      // quarter of a core for the first ~10 s on this machine, in both JVMs).
      Thread.sleep((long) (warmup * 1000));
      batches0 = batchRows(base);
      machine0 = machineJiffies();
      long service0 = cpuNanos(service);
      long own0 = ownCpuNanos();
      measuring.set(true);
      long start = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      measuring.set(false);
      elapsed = (System.nanoTime() - start) / 1e9;
      serviceCpu = cpuNanos(service) - service0;
      ownCpu = ownCpuNanos() - own0;
      machine1 = machineJiffies();
      batches1 = batchRows(base);
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
    List<Double> all = new ArrayList<>();
    latencies.forEach(all::addAll);
    long errs = Arrays.stream(errors).sum();
    double busyCores = (machine1[0] - machine0[0]) / 100.0 / elapsed;
    double serviceCores = serviceCpu / 1e9 / elapsed;
    // In one process the service's CPU already includes the load generator's.
    double clientCores =
        service.pid() == ProcessHandle.current().pid() ? 0 : ownCpu / 1e9 / elapsed;
    Level level =
        new Level(
            clients,
            all.size(),
            errs,
            all.size() * (bodies == null ? 1.0 : imagesPerRequest) / elapsed,
            percentile(all, 50),
            percentile(all, 99),
            (batches1[1] - batches0[1]) / Math.max(1, batches1[0] - batches0[0]),
            serviceCores,
            clientCores,
            Math.max(0, busyCores - serviceCores - clientCores));
    System.out.printf(
        Locale.ROOT,
        "%d client(s): %.1f images/s, p50 %.2f ms, p99 %.2f ms, %d errors, mean batch %.1f rows,"
            + " cores busy: service %.2f, load generator %.2f, other processes %.2f%n",
        clients,
        level.imagesPerSecond,
        level.p50,
        level.p99,
        errs,
        level.meanBatchRows,
        level.serviceCores,
        level.clientCores,
        level.otherCores);
    return level;
  }

  /** COUNT and TOTAL of the service's batch-size metric. */
  static double[] batchRows(String base) throws Exception {
    JsonNode m = JSON.readTree(get(base + "/actuator/metrics/deeptrain.inference.batch.rows"));
    double count = 0;
    double total = 0;
    for (JsonNode v : m.path("measurements")) {
      if (v.path("statistic").asText().equals("COUNT")) {
        count = v.path("value").asDouble();
      } else if (v.path("statistic").asText().equals("TOTAL")) {
        total = v.path("value").asDouble();
      }
    }
    return new double[] {count, total};
  }

  static long cpuNanos(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Busy and total jiffies of the whole machine (/proc/stat), to see other processes' share. */
  static long[] machineJiffies() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }

  /** Images in each request body; throughput counts images, latency is per request. */
  static int imagesPerRequest = 1;

  static int getStatus(HttpClient http, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(path)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static int post(HttpClient http, String path, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  /**
   * Request bodies of {@code perRequest} images each: pixel arrays in [0, 1], or the images as
   * base64 PNGs.
   */
  static List<String> bodies(float[][] images, String input, int perRequest) throws IOException {
    List<String> bodies = new ArrayList<>();
    for (int first = 0; first + perRequest <= images.length; first += perRequest) {
      StringBuilder sb =
          new StringBuilder(input.equals("png") ? "{\"images\":[" : "{\"instances\":[");
      for (int j = 0; j < perRequest; j++) {
        float[] image = images[first + j];
        if (j > 0) {
          sb.append(',');
        }
        if (input.equals("png")) {
          byte[] gray = new byte[784];
          for (int k = 0; k < 784; k++) {
            gray[k] = (byte) Math.round(image[k] * 255);
          }
          sb.append('"')
              .append(
                  java.util.Base64.getEncoder()
                      .encodeToString(io.deeptrain.dataset.ImageCodec.encodePng(gray, 1, 28, 28)))
              .append('"');
        } else {
          sb.append('[');
          for (int k = 0; k < 784; k++) {
            if (k > 0) {
              sb.append(',');
            }
            // k/255 to 4 decimals: what a client sending scaled pixels typically sends.
            sb.append(String.format(Locale.ROOT, "%.4f", image[k]));
          }
          sb.append(']');
        }
      }
      bodies.add(sb.append("]}").toString());
    }
    return bodies;
  }

  static String trainModel(String base, int examples) throws Exception {
    String job =
        """
        {"name":"bench-serving-cnn","dataset":"fashion-mnist","spec":%s,
         "training":{"epochs":1,"batchSize":64,"optimizer":"ADAM","learningRate":0.001,"seed":1,
                     "maxTrainExamples":%d,"maxTestExamples":2000}}"""
            .formatted(CnnTrainingBenchmark.TUTORIAL_CNN, examples);
    JsonNode submitted =
        CnnTrainingBenchmark.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(job)));
    String id = submitted.path("id").asText();
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    JsonNode now = submitted;
    while (!now.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + id + " did not finish: " + now);
      }
      Thread.sleep(1000);
      now =
          CnnTrainingBenchmark.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + id)).GET());
    }
    if (!now.path("status").asText().equals("SUCCEEDED")) {
      throw new IllegalStateException("job failed: " + now);
    }
    JsonNode model = JSON.readTree(get(base + "/api/v1/models/" + now.path("modelId").asText()));
    System.out.printf(
        Locale.ROOT,
        "trained the TF-tutorial CNN on %d images: test metrics %s%n",
        examples,
        model.path("metrics"));
    return now.path("modelId").asText();
  }

  static void awaitUp(String base, Process service, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException(
            "the service exited during startup; see target/bench-inference-service.log");
      }
      try {
        if (new String(get(base + "/actuator/health/readiness")).contains("\"UP\"")) {
          return;
        }
      } catch (IOException | IllegalStateException e) {
        // not up yet
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the service did not come up in " + timeout);
  }

  static byte[] get(String url) throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + url + " gave " + r.statusCode());
    }
    return r.body();
  }

  /** The first {@code n} Fashion-MNIST test images, pixels in [0, 1]. */
  static float[][] testImages(int n) throws IOException {
    try (DataInputStream in =
        new DataInputStream(
            new GZIPInputStream(
                Files.newInputStream(FASHION.resolve("t10k-images-idx3-ubyte.gz"))))) {
      if (in.readInt() != 2051) {
        throw new IOException("not an IDX image file");
      }
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      float[][] images = new float[Math.min(n, count)][rows * cols];
      byte[] buf = new byte[rows * cols];
      for (float[] image : images) {
        in.readFully(buf);
        for (int k = 0; k < buf.length; k++) {
          image[k] = (buf[k] & 0xff) / 255f;
        }
      }
      return images;
    }
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, i))];
  }

  private InferenceBatchingBenchmark() {}
}
