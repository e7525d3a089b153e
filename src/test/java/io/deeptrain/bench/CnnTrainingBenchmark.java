package io.deeptrain.bench;

import io.deeptrain.DeeptrainApplication;
import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.TrainingControl;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue #3's speed figure: samples/s of one Fashion-MNIST epoch of the TF-tutorial CNN (adapted to
 * 28x28x1, batch 64, Adam), trained in-process (the training loop alone) and as a job through the
 * running service (queue, metric sink, heartbeats, model registration), interleaved A/B so the
 * ratio holds on a noisy machine. With {@code --accuracy} it also trains the tutorial CNN and a
 * batch-norm + residual CNN for 5 epochs as jobs and reports their test accuracy per epoch.
 *
 * <p>Run with {@code bench/cnn-training [--reps N] [--accuracy] [--accuracy-training JSON]
 * [--accuracy-models tutorial-cnn,bn-residual-cnn]}; writes bench/results/cnn-training-DATE.json.
 * Not a test: it never runs in {@code mvn verify}.
 */
public final class CnnTrainingBenchmark {

  static final String TUTORIAL_CNN =
      """
      {"type":"CNN","layers":[
        {"type":"CONV2D","filters":32,"kernelSize":3},{"type":"MAX_POOL","size":2},
        {"type":"CONV2D","filters":64,"kernelSize":3},{"type":"MAX_POOL","size":2},
        {"type":"CONV2D","filters":64,"kernelSize":3},{"type":"FLATTEN"},
        {"type":"DENSE","units":64}]}""";

  static final String RESIDUAL_CNN =
      """
      {"type":"CNN","layers":[
        {"type":"CONV2D","filters":32,"kernelSize":3,"padding":"SAME"},{"type":"BATCH_NORM"},
        {"type":"MAX_POOL","size":2},
        {"type":"RESIDUAL","filters":32},
        {"type":"CONV2D","filters":64,"kernelSize":3,"padding":"SAME"},{"type":"BATCH_NORM"},
        {"type":"MAX_POOL","size":2},
        {"type":"FLATTEN"},{"type":"DROPOUT","rate":0.3},{"type":"DENSE","units":128}]}""";

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int reps = 2;
    boolean accuracy = false;
    String five =
        "{\"epochs\":5,\"batchSize\":64,\"optimizer\":\"ADAM\",\"learningRate\":0.001,\"seed\":1}";
    List<String> models = List.of("tutorial-cnn", "bn-residual-cnn");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--reps")) {
        reps = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--accuracy")) {
        accuracy = true;
      } else if (args[i].equals("--accuracy-training")) {
        five = args[++i];
      } else if (args[i].equals("--accuracy-models")) {
        models = List.of(args[++i].split(","));
      }
    }
    Path pg = Path.of("target/bench-postgres");
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(DeeptrainApplication.class)
            .properties(
                "server.port=0",
                "deeptrain.embedded-postgres.data-dir=" + pg,
                "deeptrain.embedded-postgres.clean-on-start=true",
                "logging.level.root=WARN",
                "logging.level.io.deeptrain=WARN")
            .run();
    try {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      String base = "http://localhost:" + port;
      DatasetCatalog catalog = app.getBean(DatasetCatalog.class);
      TrainingRunner inProcess =
          new TrainingRunner(
              catalog,
              app.getBean(MlpBuilder.class),
              app.getBean(CnnBuilder.class),
              app.getBean(io.deeptrain.model.LstmBuilder.class),
              NO_METRICS,
              app.getBean(MetricProperties.class));
      String training =
          "{\"epochs\":1,\"batchSize\":64,\"optimizer\":\"ADAM\",\"learningRate\":0.001,\"seed\":1}";

      List<Double> local = new ArrayList<>();
      List<Double> service = new ArrayList<>();
      List<Double> localWall = new ArrayList<>();
      List<Double> serviceWall = new ArrayList<>();
      System.out.printf("%-4s %-12s %14s %12s%n", "rep", "mode", "samples/s", "wall s");
      for (int rep = 1; rep <= reps; rep++) {
        // A: the training loop alone, on this thread, metrics discarded.
        long t0 = System.nanoTime();
        CapturingControl control = new CapturingControl();
        var model =
            inProcess.train(
                new TrainingRequest(
                    UUID.randomUUID(),
                    "fashion-mnist",
                    JSON.readValue(TUTORIAL_CNN, ModelSpec.class),
                    JSON.readValue(training, TrainingSpec.class).resolved()),
                control);
        double wall = (System.nanoTime() - t0) / 1e9;
        local.add(NO_METRICS_SPS.get());
        localWall.add(wall);
        System.out.printf(
            "%-4d %-12s %14.1f %12.1f%n", rep, "in-process", NO_METRICS_SPS.get(), wall);

        // B: the same as a job through the HTTP API and the queue.
        JobResult job =
            runJob(base, "bench-" + rep, TUTORIAL_CNN, training, Duration.ofMinutes(20));
        service.add(job.samplesPerSecond());
        serviceWall.add(job.wallSeconds());
        System.out.printf(
            "%-4d %-12s %14.1f %12.1f%n",
            rep, "service", job.samplesPerSecond(), job.wallSeconds());
        if (model == null) {
          throw new IllegalStateException("no model");
        }
      }
      double a = median(local);
      double b = median(service);
      System.out.println();
      System.out.printf(
          "TF-tutorial CNN 28x28x1, Fashion-MNIST, 1 epoch, batch 64, Adam, %d reps%n", reps);
      System.out.printf(
          "  in-process  median %.1f samples/s (spread %.1f-%.1f)%n", a, min(local), max(local));
      System.out.printf(
          "  service     median %.1f samples/s (spread %.1f-%.1f)%n",
          b, min(service), max(service));
      System.out.printf(
          "  service / in-process = %.3f (overhead %.1f %%)%n", b / a, 100 * (1 - b / a));
      System.out.printf(
          "  wall per epoch incl. evaluation: in-process %.1f s, service job %.1f s (claim to finish)%n",
          median(localWall), median(serviceWall));

      Map<String, Object> results = new LinkedHashMap<>();
      results.put("date", LocalDate.now().toString());
      results.put(
          "machine",
          Runtime.getRuntime().availableProcessors()
              + " cores, "
              + System.getProperty("java.version"));
      results.put("inProcessSamplesPerSecond", local);
      results.put("serviceSamplesPerSecond", service);
      results.put("inProcessWallSeconds", localWall);
      results.put("serviceWallSeconds", serviceWall);
      results.put("ratioServiceToInProcess", b / a);

      if (accuracy) {
        Map<String, String> specs =
            Map.of("tutorial-cnn", TUTORIAL_CNN, "bn-residual-cnn", RESIDUAL_CNN);
        results.put("accuracyTraining", five);
        for (String m : models) {
          JobResult r = runJob(base, m, specs.get(m), five, Duration.ofMinutes(60));
          System.out.printf(
              "%s: test accuracy per epoch %s, %.0f s (%s)%n",
              m, r.testAccuracy(), r.wallSeconds(), five);
          results.put(m + ".testAccuracy", r.testAccuracy());
          results.put(m + ".wallSeconds", r.wallSeconds());
        }
      }
      Path out =
          Path.of(
              "bench/results/cnn-training-"
                  + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-')
                  + ".json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
      System.out.println("wrote " + out);
    } finally {
      app.close();
    }
  }

  /**
   * A finished job: the median of its epochs' samples/s, claim-to-finish seconds, test accuracy and
   * samples/s per epoch, and the model it registered.
   */
  record JobResult(
      double samplesPerSecond,
      double wallSeconds,
      List<Double> testAccuracy,
      List<Double> epochSamplesPerSecond,
      String modelId) {}

  static JobResult runJob(String base, String name, String spec, String training, Duration timeout)
      throws Exception {
    String body =
        "{\"name\":\"%s\",\"dataset\":\"fashion-mnist\",\"spec\":%s,\"training\":%s}"
            .formatted(name, spec, training);
    JsonNode job =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    String id = job.path("id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode now = job;
    while (!now.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + id + " did not finish: " + now);
      }
      Thread.sleep(500);
      now = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + id)).GET());
    }
    if (!now.path("status").asText().equals("SUCCEEDED")) {
      throw new IllegalStateException("job failed: " + now);
    }
    double wall =
        Duration.between(
                    java.time.Instant.parse(now.path("startedAt").asText()),
                    java.time.Instant.parse(now.path("finishedAt").asText()))
                .toMillis()
            / 1000.0;
    JsonNode metrics =
        send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + id + "/metrics")).GET());
    List<Double> sps = new ArrayList<>();
    List<Double> acc = new ArrayList<>();
    for (JsonNode s : metrics.path("series")) {
      List<Double> target =
          s.path("name").asText().equals("samples_per_second")
              ? sps
              : s.path("name").asText().equals("test_accuracy") ? acc : null;
      if (target != null) {
        s.path("points").forEach(p -> target.add(p.path("value").asDouble()));
      }
    }
    return new JobResult(median(sps), wall, acc, sps, now.path("modelId").asText());
  }

  static JsonNode send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  static final java.util.concurrent.atomic.AtomicReference<Double> NO_METRICS_SPS =
      new java.util.concurrent.atomic.AtomicReference<>(Double.NaN);

  /** Discards metrics but keeps the samples/s the loop measured, for the comparison. */
  static final MetricRecorder NO_METRICS =
      (jobId, name, step, epoch, value) -> {
        if (name.equals("samples_per_second")) {
          NO_METRICS_SPS.set(value);
        }
      };

  static final class CapturingControl implements TrainingControl {
    @Override
    public boolean stopRequested() {
      return false;
    }

    @Override
    public void epochCompleted(int epochsDone, int epochsTotal) {}
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(Double::compare);
    int n = s.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private CnnTrainingBenchmark() {}
}
