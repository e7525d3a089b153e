package io.deeptrain.generative;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetInfo;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.metric.MetricProperties;
import io.deeptrain.metric.MetricRecorder;
import io.deeptrain.model.CnnBuilder;
import io.deeptrain.model.LstmBuilder;
import io.deeptrain.model.MlpBuilder;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.CnnLayer;
import io.deeptrain.spec.CnnSpec;
import io.deeptrain.spec.Optimizer;
import io.deeptrain.spec.TrainingSpec;
import io.deeptrain.training.CheckpointStore;
import io.deeptrain.training.TrainedModel;
import io.deeptrain.training.TrainingControl;
import io.deeptrain.training.TrainingRequest;
import io.deeptrain.training.TrainingRunner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each image dataset's reference classifier: a small CNN trained once on the dataset (on the thread
 * that first asks for it), stored in PostgreSQL so that restarts and other replicas reuse it, and
 * kept in memory. Its penultimate layer is the feature space in which generated images are compared
 * with real ones.
 *
 * <p>Concurrent requests on this replica for the same dataset train it once (a lock per dataset).
 * Two replicas asking at the same moment may both train; the first row stored wins ({@code ON
 * CONFLICT DO NOTHING}) and both then use it, so every replica measures with the same network.
 */
@Component
class ReferenceClassifiers {

  private static final Logger log = LoggerFactory.getLogger(ReferenceClassifiers.class);

  /**
   * Conv 16, pool, conv 32, pool, dense 64, softmax: about 0.9 test accuracy on Fashion-MNIST after
   * a few epochs, and small enough to train in about a minute on one thread.
   */
  static final CnnSpec SPEC =
      new CnnSpec(
          List.of(
              new CnnLayer.Conv2d(16, 3, null, null, Activation.RELU),
              new CnnLayer.MaxPool(2, null, null),
              new CnnLayer.Conv2d(32, 3, null, null, Activation.RELU),
              new CnnLayer.MaxPool(2, null, null),
              new CnnLayer.Flatten(),
              new CnnLayer.Dense(64, Activation.RELU)));

  /** Bumped when {@link #SPEC} or the training recipe changes, so old references are not reused. */
  private static final String RECIPE = "cnn16-32-64/adam1e-3/b64/v1";

  private final DatasetCatalog datasets;
  private final TrainingRunner runner;
  private final JdbcClient jdbc;
  private final QualityProperties properties;
  private final ComputeBackend compute;
  private final Map<String, Reference> loaded = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final AtomicInteger trained = new AtomicInteger();

  ReferenceClassifiers(
      DatasetCatalog datasets,
      MlpBuilder mlpBuilder,
      CnnBuilder cnnBuilder,
      LstmBuilder lstmBuilder,
      MetricProperties metricProperties,
      JdbcClient jdbc,
      QualityProperties properties,
      ComputeBackend compute) {
    this.datasets = datasets;
    // The reference is no job: its training metrics go nowhere (metric rows need a job).
    MetricRecorder discard = (job, name, step, epoch, value) -> {};
    this.runner =
        new TrainingRunner(
            datasets, mlpBuilder, cnnBuilder, lstmBuilder, discard, metricProperties);
    this.jdbc = jdbc;
    this.properties = properties;
    this.compute = compute;
  }

  /**
   * The dataset's reference classifier: from memory, else from the database, else trained now
   * (about a minute for Fashion-MNIST on one thread).
   *
   * @throws IllegalArgumentException if the dataset is not an image dataset
   */
  Reference get(String dataset) {
    DatasetInfo info =
        datasets
            .find(dataset)
            .orElseThrow(() -> new IllegalArgumentException("no dataset named '" + dataset + "'"));
    if (!DatasetInfo.IMAGE.equals(info.kind())) {
      throw new IllegalArgumentException(
          "dataset '" + dataset + "' is " + info.kind() + ": only image datasets have a reference");
    }
    String fingerprint = fingerprint(info);
    String key = dataset + "\n" + fingerprint;
    Reference cached = loaded.get(key);
    if (cached != null) {
      return cached;
    }
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      cached = loaded.get(key);
      if (cached != null) {
        return cached;
      }
      Reference reference =
          stored(dataset, fingerprint).orElseGet(() -> trainAndStore(dataset, fingerprint));
      loaded.put(key, reference);
      return reference;
    }
  }

  /** How many references this instance has trained (not loaded); for tests and logs. */
  int trainedCount() {
    return trained.get();
  }

  /**
   * What the reference depends on: the dataset's shape, classes and size, and how the reference is
   * trained. A change of any trains a new one.
   */
  String fingerprint(DatasetInfo info) {
    return "%s shape=%s classes=%d rows=%d/%d epochs=%d max=%d seed=%d"
        .formatted(
            RECIPE,
            info.inputShape(),
            info.classes().size(),
            info.trainRows(),
            info.testRows(),
            properties.referenceEpochs(),
            properties.referenceMaxTrainExamples(),
            properties.referenceSeed());
  }

  /** The test split the reference was evaluated on (never trained on), as the runner opens it. */
  DatasetSplit open(String dataset) {
    return datasets.open(dataset, DatasetCatalog.DEFAULT_TEST_FRACTION, properties.referenceSeed());
  }

  private Optional<Reference> stored(String dataset, String fingerprint) {
    return jdbc.sql(
            """
            SELECT artifact, test_accuracy, created_at FROM reference_classifiers
            WHERE dataset = :dataset AND fingerprint = :fingerprint
            """)
        .param("dataset", dataset)
        .param("fingerprint", fingerprint)
        .query(
            (rs, i) ->
                load(
                    dataset,
                    fingerprint,
                    rs.getBytes(1),
                    rs.getDouble(2),
                    rs.getTimestamp(3).toInstant()))
        .optional();
  }

  private Reference trainAndStore(String dataset, String fingerprint) {
    long start = System.nanoTime();
    log.info("Training the reference classifier of dataset '{}' ({})", dataset, fingerprint);
    compute.applyThreadsToCurrentThread();
    TrainedModel model =
        runner.train(
            new TrainingRequest(
                UUID.nameUUIDFromBytes(
                    ("reference " + dataset + " " + fingerprint).getBytes(StandardCharsets.UTF_8)),
                dataset,
                SPEC,
                training()),
            new TrainingControl() {
              @Override
              public boolean stopRequested() {
                return false;
              }

              @Override
              public void epochCompleted(int epochsDone, int epochsTotal) {
                log.info(
                    "Reference classifier of '{}': epoch {}/{} done",
                    dataset,
                    epochsDone,
                    epochsTotal);
              }
            },
            CheckpointStore.none());
    trained.incrementAndGet();
    double seconds = (System.nanoTime() - start) / 1e9;
    double accuracy = model.metrics().getOrDefault("test_accuracy", Double.NaN);
    log.info(
        "Reference classifier of '{}' trained in {} s: test accuracy {}",
        dataset,
        String.format("%.1f", seconds),
        String.format("%.4f", accuracy));
    jdbc.sql(
            """
            INSERT INTO reference_classifiers
                (dataset, fingerprint, artifact, test_accuracy, train_seconds)
            VALUES (:dataset, :fingerprint, :artifact, :accuracy, :seconds)
            ON CONFLICT (dataset, fingerprint) DO NOTHING
            """)
        .param("dataset", dataset)
        .param("fingerprint", fingerprint)
        .param("artifact", model.artifact())
        .param("accuracy", accuracy)
        .param("seconds", seconds)
        .update();
    // Another replica may have stored one first: use the stored one so all replicas agree.
    return stored(dataset, fingerprint)
        .orElseThrow(() -> new IllegalStateException("reference classifier row vanished"));
  }

  private TrainingSpec training() {
    int max = properties.referenceMaxTrainExamples();
    return new TrainingSpec(
            properties.referenceEpochs(),
            64,
            Optimizer.ADAM,
            1e-3,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            properties.referenceSeed(),
            DatasetCatalog.DEFAULT_TEST_FRACTION,
            max == 0 ? null : max,
            null,
            null,
            null,
            null,
            null)
        .resolved();
  }

  private static Reference load(
      String dataset, String fingerprint, byte[] artifact, double accuracy, Instant createdAt) {
    try {
      ComputationGraph graph =
          ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(artifact), false);
      return new Reference(dataset, fingerprint, graph, accuracy, createdAt);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the stored reference classifier of '" + dataset + "' cannot be read", e);
    }
  }

  /** What the reference classifier sees in a batch of images. */
  record Activations(double[][] features, double[][] probabilities) {}

  /**
   * A loaded reference classifier. One call at a time (a DL4J network is not thread-safe).
   *
   * @param createdAt when it was trained (stored)
   */
  static final class Reference {

    private static final int BATCH = 256;

    private final String dataset;
    private final String fingerprint;
    private final ComputationGraph graph;
    private final double testAccuracy;
    private final Instant createdAt;
    private final List<String> layers;

    Reference(
        String dataset,
        String fingerprint,
        ComputationGraph graph,
        double testAccuracy,
        Instant createdAt) {
      this.dataset = dataset;
      this.fingerprint = fingerprint;
      this.graph = graph;
      this.testAccuracy = testAccuracy;
      this.createdAt = createdAt;
      // The feature layer is whatever feeds the softmax output, read from the graph itself.
      String output = graph.getConfiguration().getNetworkOutputs().get(0);
      String features = graph.getConfiguration().getVertexInputs().get(output).get(0);
      this.layers = List.of(features, output);
    }

    String dataset() {
      return dataset;
    }

    String fingerprint() {
      return fingerprint;
    }

    double testAccuracy() {
      return testAccuracy;
    }

    Instant createdAt() {
      return createdAt;
    }

    /** Penultimate-layer activations and class probabilities of {@code images} [n, c, h, w]. */
    synchronized Activations activations(INDArray images) {
      int n = (int) images.size(0);
      double[][] features = new double[n][];
      double[][] probabilities = new double[n][];
      for (int start = 0; start < n; start += BATCH) {
        int end = Math.min(n, start + BATCH);
        INDArray batch =
            images.get(
                NDArrayIndex.interval(start, end),
                NDArrayIndex.all(),
                NDArrayIndex.all(),
                NDArrayIndex.all());
        INDArray[] out = graph.output(layers, false, new INDArray[] {batch}, null);
        double[][] f = out[0].toDoubleMatrix();
        double[][] p = out[1].toDoubleMatrix();
        System.arraycopy(f, 0, features, start, f.length);
        System.arraycopy(p, 0, probabilities, start, p.length);
        for (INDArray o : out) {
          o.close();
        }
      }
      return new Activations(features, probabilities);
    }
  }
}
