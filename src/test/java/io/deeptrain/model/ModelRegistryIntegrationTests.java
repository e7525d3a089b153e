package io.deeptrain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import io.deeptrain.fixtures.Multipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What a user sees of the registry: two versions of a quickly trained iris MLP, aliases on them,
 * inference by every kind of reference, model cards, and uploads of DL4J zips and Keras files.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelRegistryIntegrationTests {

  static final String ROW = "[5.1, 3.5, 1.4, 0.2]";

  @LocalServerPort int port;
  @Autowired DatasetCatalog datasets;
  Api api;
  String name;
  String v1;
  String v2;

  @BeforeAll
  void trainTwoVersions() {
    api = new Api(port);
    name = "registry-iris-" + UUID.randomUUID().toString().substring(0, 8);
    String job = Jobs.irisMlp(5).replace("\"name\":\"iris-mlp\"", "\"name\":\"" + name + "\"");
    String first = api.post("/api/v1/jobs", job).body().path("id").asText();
    v1 =
        api.awaitStatus(UUID.fromString(first), "SUCCEEDED", Duration.ofMinutes(2))
            .path("modelId")
            .asText();
    String second = api.post("/api/v1/jobs", job).body().path("id").asText();
    v2 =
        api.awaitStatus(UUID.fromString(second), "SUCCEEDED", Duration.ofMinutes(2))
            .path("modelId")
            .asText();
  }

  @Test
  void shouldPromoteDemoteAndServeEveryKindOfReference() {
    JsonNode listed = api.get("/api/v1/models?name=" + name).body();
    assertThat(listed.path("total").asInt()).isEqualTo(2);
    assertThat(listed.path("items").get(0).path("id").asText()).isEqualTo(v2);
    assertThat(listed.path("items").get(0).path("aliases").toString()).isEqualTo("[\"latest\"]");
    assertThat(listed.path("items").get(0).path("source").asText()).isEqualTo("JOB");
    // Without a production alias a bare name is the latest version.
    assertThat(classifiedBy("/api/v1/models/" + name + "/classify")).isEqualTo(v2);

    Api.Response promoted =
        api.put("/api/v1/models/" + name + "/aliases/production", "{\"version\":1}");
    assertThat(promoted.status()).as(promoted.raw()).isEqualTo(200);
    assertThat(promoted.body().path("modelId").asText()).isEqualTo(v1);
    assertThat(promoted.body().path("version").asInt()).isEqualTo(1);
    api.put("/api/v1/models/" + name + "/aliases/staging", "{\"version\":2}");

    assertThat(classifiedBy("/api/v1/models/" + v2 + "/classify")).isEqualTo(v2);
    assertThat(classifiedBy("/api/v1/models/" + name + "@production/classify")).isEqualTo(v1);
    assertThat(classifiedBy("/api/v1/models/" + name + "@staging/classify")).isEqualTo(v2);
    assertThat(classifiedBy("/api/v1/models/" + name + "@latest/classify")).isEqualTo(v2);
    assertThat(classifiedBy("/api/v1/models/" + name + ":2/classify")).isEqualTo(v2);
    assertThat(classifiedBy("/api/v1/models/" + name + "/1/classify")).isEqualTo(v1);
    assertThat(classifiedBy("/api/v1/models/" + name + "/classify")).isEqualTo(v1);
    assertThat(api.get("/api/v1/models/" + name + "/2").body().path("id").asText()).isEqualTo(v2);
    assertThat(api.get("/api/v1/models/" + name + "/1/summary").status()).isEqualTo(200);
    assertThat(api.get("/api/v1/models/" + name).body().path("aliases").toString())
        .isEqualTo("[\"production\"]");

    JsonNode aliases = api.get("/api/v1/models/" + name + "/aliases").body();
    List<String> pairs = new ArrayList<>();
    aliases.forEach(a -> pairs.add(a.path("alias").asText() + "=" + a.path("version").asInt()));
    assertThat(pairs).containsExactly("latest=2", "production=1", "staging=2");

    // Moving an alias.
    api.put("/api/v1/models/" + name + "/aliases/production", "{\"version\":2}");
    assertThat(classifiedBy("/api/v1/models/" + name + "/classify")).isEqualTo(v2);

    assertThat(api.delete("/api/v1/models/" + name + "/aliases/production").status())
        .isEqualTo(204);
    assertThat(api.delete("/api/v1/models/" + name + "/aliases/production").status())
        .isEqualTo(404);
    assertThat(api.post("/api/v1/models/" + name + "@production/classify", instances()).status())
        .isEqualTo(404);
  }

  @Test
  void shouldRefuseBadAliasesAndUnknownModels() {
    Api.Response bad = api.put("/api/v1/models/" + name + "/aliases/Prod!", "{\"version\":1}");
    assertThat(bad.status()).as(bad.raw()).isEqualTo(400);
    assertThat(bad.body().path("errors").get(0).path("field").asText()).isEqualTo("alias");
    assertThat(bad.body().path("detail").asText()).contains("lower-case letters");

    Api.Response latest = api.put("/api/v1/models/" + name + "/aliases/latest", "{\"version\":1}");
    assertThat(latest.status()).isEqualTo(400);
    assertThat(latest.body().path("detail").asText()).contains("built in");

    Api.Response noVersion = api.put("/api/v1/models/" + name + "/aliases/canary", "{}");
    assertThat(noVersion.status()).isEqualTo(400);
    assertThat(noVersion.body().path("errors").get(0).path("field").asText()).isEqualTo("version");

    assertThat(api.put("/api/v1/models/" + name + "/aliases/canary", "{\"version\":99}").status())
        .isEqualTo(404);
    assertThat(api.put("/api/v1/models/no-such-model/aliases/canary", "{\"version\":1}").status())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/models/no-such-model/aliases").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/models/" + name + ":99").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/models/" + name + "/99/card").status()).isEqualTo(404);
    assertThat(api.post("/api/v1/models/no-such-model/1/classify", instances()).status())
        .isEqualTo(404);
    Api.Response notNumber = api.get("/api/v1/models/" + name + ":two");
    assertThat(notNumber.status()).isEqualTo(400);
    assertThat(notNumber.body().path("detail").asText()).contains("whole number");
  }

  @Test
  void shouldDescribeATrainedModelInItsCard() throws Exception {
    Api.Response r = api.get("/api/v1/models/" + name + ":1/card");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode card = r.body();
    assertThat(card.path("id").asText()).isEqualTo(v1);
    assertThat(card.path("name").asText()).isEqualTo(name);
    assertThat(card.path("version").asInt()).isEqualTo(1);
    assertThat(card.path("source").asText()).isEqualTo("JOB");
    assertThat(card.path("jobId").asText()).isNotEmpty();
    assertThat(card.path("spec").path("type").asText()).isEqualTo("MLP");
    assertThat(card.path("training").path("epochs").asInt()).isEqualTo(5);
    assertThat(card.path("seed").asLong()).isEqualTo(2);
    assertThat(card.path("metrics").has("testAccuracy") || card.path("metrics").size() > 0)
        .isTrue();
    assertThat(card.path("labels").size()).isEqualTo(3);
    assertThat(card.path("inputShape").toString()).isEqualTo("[4]");
    // 4*16+16 + 16*16+16 + 16*3+3, as the summary counts them.
    assertThat(card.path("parameters").asLong()).isEqualTo(403);

    assertThat(card.path("dataset").path("name").asText()).isEqualTo("iris");
    assertThat(card.path("dataset").path("sha256").asText())
        .isEqualTo(sha256(resource("datasets/iris.csv")));

    byte[] artifact = api.getBytes("/api/v1/models/" + v1 + "/artifact");
    assertThat(card.path("artifact").path("sha256").asText()).isEqualTo(sha256(artifact));
    assertThat(card.path("artifact").path("sizeBytes").asLong()).isEqualTo(artifact.length);

    JsonNode libs = card.path("libraryVersions");
    assertThat(libs.path("deeplearning4j").asText()).isEqualTo("1.0.0-M2.1");
    assertThat(libs.path("nd4j").asText()).isEqualTo("1.0.0-M2.1");
    assertThat(libs.path("backend").asText()).startsWith("CPU");
    assertThat(libs.path("java").asText()).startsWith(System.getProperty("java.version"));
    assertThat(libs.path("deeptrain").asText()).isNotBlank().doesNotContain("unknown");
    assertThat(card.path("createdAt").asText()).isNotEmpty();

    java.net.http.HttpResponse<String> md =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://localhost:" + port + "/api/v1/models/" + v1 + "/card"))
                    .header("Accept", "text/markdown")
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(md.statusCode()).isEqualTo(200);
    assertThat(md.body())
        .startsWith("# Model card: " + name + " v1")
        .contains(sha256(resource("datasets/iris.csv")))
        .contains("| deeplearning4j | 1.0.0-M2.1 |");
  }

  @Test
  void shouldServeAnUploadedCopyOfATrainedModelTheSame() {
    JsonNode trained = api.get("/api/v1/models/" + v1).body();
    byte[] zip = api.getBytes("/api/v1/models/" + v1 + "/artifact");
    String copy = name + "-copy";

    Api.Response up =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file("file", "model.zip", "application/zip", zip)
                .field("name", copy)
                .field("labels", trained.path("labels").toString()));
    assertThat(up.status()).as(up.raw()).isEqualTo(201);
    assertThat(up.body().path("source").asText()).isEqualTo("UPLOAD");
    assertThat(up.body().path("version").asInt()).isEqualTo(1);
    assertThat(up.body().path("inputShape").toString()).isEqualTo("[4]");
    assertThat(up.body().path("labels")).isEqualTo(trained.path("labels"));
    assertThat(up.body().path("spec").isNull()).isTrue();
    assertThat(api.get("/api/v1/models/" + copy + "/card").body().path("artifact").path("sha256"))
        .isEqualTo(
            api.get("/api/v1/models/" + v1 + "/card").body().path("artifact").path("sha256"));

    // The upload has no standardisation of ours: send it the standardised row.
    double[] raw = {5.1, 3.5, 1.4, 0.2};
    JsonNode norm = trained.path("normalization");
    StringBuilder standardised = new StringBuilder("[");
    for (int i = 0; i < raw.length; i++) {
      double v =
          (raw[i] - norm.path("mean").get(i).asDouble()) / norm.path("std").get(i).asDouble();
      standardised.append(i == 0 ? "" : ",").append(v);
    }
    standardised.append("]");
    JsonNode original =
        api.post("/api/v1/models/" + v1 + "/classify", "{\"instances\":[" + ROW + "]}").body();
    Api.Response served =
        api.post("/api/v1/models/" + copy + "/classify", "{\"instances\":[" + standardised + "]}");
    assertThat(served.status()).as(served.raw()).isEqualTo(200);
    JsonNode p = original.path("predictions").get(0).path("probabilities");
    JsonNode q = served.body().path("predictions").get(0).path("probabilities");
    assertThat(q.size()).isEqualTo(3);
    p.properties()
        .forEach(
            e ->
                assertThat(q.path(e.getKey()).asDouble())
                    .isCloseTo(e.getValue().asDouble(), within(1e-5)));

    Api.Response summary = api.get("/api/v1/models/" + copy + "/summary");
    assertThat(summary.status()).isEqualTo(409);
    assertThat(api.get("/api/v1/models/" + copy + "/card").body().path("parameters").asLong())
        .isEqualTo(403);
  }

  @Test
  void shouldImportAKerasModelAndClassifyAsComputedByHand() throws Exception {
    String keras = name + "-keras";
    byte[] h5 = resource("keras/dense-iris.h5");
    Api.Response up =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file("file", "dense-iris.h5", "application/x-hdf5", h5)
                .field("name", keras)
                .field("labels", "setosa, versicolor, virginica"));
    assertThat(up.status()).as(up.raw()).isEqualTo(201);
    assertThat(up.body().path("source").asText()).isEqualTo("KERAS");
    assertThat(up.body().path("inputShape").toString()).isEqualTo("[4]");

    double[] x = {5.1, 3.5, 1.4, 0.2};
    double[] expected = kerasByHand(x);
    Api.Response r =
        api.post("/api/v1/models/" + keras + "/classify", "{\"instances\":[" + ROW + "]}");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode probs = r.body().path("predictions").get(0).path("probabilities");
    assertThat(probs.path("setosa").asDouble()).isCloseTo(expected[0], within(1e-5));
    assertThat(probs.path("versicolor").asDouble()).isCloseTo(expected[1], within(1e-5));
    assertThat(probs.path("virginica").asDouble()).isCloseTo(expected[2], within(1e-5));

    // The same network as a functional Model imports as a ComputationGraph.
    Api.Response functional =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file(
                    "file",
                    "dense-iris-functional.h5",
                    "application/x-hdf5",
                    resource("keras/dense-iris-functional.h5"))
                .field("name", keras + "-functional")
                .field("labels", "setosa,versicolor,virginica"));
    assertThat(functional.status()).as(functional.raw()).isEqualTo(201);
    assertThat(functional.body().path("inputShape").toString()).isEqualTo("[4]");
    assertThat(
            api.get("/api/v1/models/" + keras + "-functional/card")
                .body()
                .path("artifact")
                .path("mediaType")
                .asText())
        .isEqualTo("application/vnd.deeplearning4j.computationgraph+zip");
    JsonNode graphProbs =
        api.post(
                "/api/v1/models/" + keras + "-functional/classify", "{\"instances\":[" + ROW + "]}")
            .body()
            .path("predictions")
            .get(0)
            .path("probabilities");
    assertThat(graphProbs.path("setosa").asDouble()).isCloseTo(expected[0], within(1e-5));
    assertThat(graphProbs.path("virginica").asDouble()).isCloseTo(expected[2], within(1e-5));

    // Same name again: the next version; without labels they are "0".."k-1".
    Api.Response again =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file("file", "dense-iris.h5", "application/x-hdf5", h5)
                .field("name", keras));
    assertThat(again.status()).as(again.raw()).isEqualTo(201);
    assertThat(again.body().path("version").asInt()).isEqualTo(2);
    assertThat(again.body().path("labels").toString()).isEqualTo("[\"0\",\"1\",\"2\"]");
    assertThat(api.get("/api/v1/models/" + keras + ":2/card").body().path("parameters").asLong())
        .isEqualTo(4 * 8 + 8 + 8 * 3 + 3);
  }

  @Test
  void shouldRefuseAKerasArchitectureDl4jCannotImportWith422() {
    Api.Response r =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file(
                    "file",
                    "layernorm.h5",
                    "application/x-hdf5",
                    resource("keras/layernorm-iris.h5"))
                .field("name", name + "-layernorm"));
    assertThat(r.status()).as(r.raw()).isEqualTo(422);
    assertThat(r.body().path("detail").asText()).contains("LayerNormalization");
    assertThat(r.body().path("detail").asText()).doesNotContain("file an issue");
    assertThat(api.get("/api/v1/models?name=" + name + "-layernorm").body().path("total").asInt())
        .isZero();
  }

  @Test
  void shouldRefuseFilesThatAreNoModelWith400() throws IOException {
    Api.Response text =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file("file", "notes.txt", "text/plain", "not a model".getBytes())
                .field("name", name + "-text"));
    assertThat(text.status()).as(text.raw()).isEqualTo(400);
    assertThat(text.body().path("errors").get(0).path("field").asText()).isEqualTo("file");
    assertThat(text.body().path("detail").asText()).contains("neither a DL4J model zip");

    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("readme.txt"));
      out.write("hello".getBytes());
    }
    Api.Response otherZip =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file("file", "other.zip", "application/zip", zip.toByteArray())
                .field("name", name + "-zip"));
    assertThat(otherZip.status()).isEqualTo(400);
    assertThat(otherZip.body().path("detail").asText()).contains("configuration.json");

    Api.Response badFields =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file(
                    "file", "dense-iris.h5", "application/x-hdf5", resource("keras/dense-iris.h5"))
                .field("name", "a/b")
                .field("inputShape", "4,x"));
    assertThat(badFields.status()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    badFields.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertThat(fields).containsExactly("name", "inputShape");

    Api.Response wrongLabels =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file(
                    "file", "dense-iris.h5", "application/x-hdf5", resource("keras/dense-iris.h5"))
                .field("name", name + "-labels")
                .field("labels", "[\"a\",\"b\"]"));
    assertThat(wrongLabels.status()).isEqualTo(400);
    assertThat(wrongLabels.body().path("detail").asText())
        .contains("has 2 labels but the model outputs 3 classes");
  }

  @Test
  void shouldServeAnUploadedComputationGraphOnTheInputShapeGiven() throws IOException {
    ComputationGraph graph =
        new ComputationGraph(
            new NeuralNetConfiguration.Builder()
                .seed(11)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .addLayer(
                    "conv",
                    new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build(),
                    "in")
                .addLayer(
                    "out",
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build(),
                    "conv")
                .setOutputs("out")
                .build());
    graph.init();
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    ModelSerializer.writeModel(graph, zip, false);
    String graphName = name + "-graph";

    Api.Response noShape =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file("file", "graph.zip", "application/zip", zip.toByteArray())
                .field("name", graphName));
    assertThat(noShape.status()).as(noShape.raw()).isEqualTo(400);
    assertThat(noShape.body().path("errors").get(0).path("field").asText()).isEqualTo("inputShape");
    assertThat(noShape.body().path("detail").asText()).contains("ConvolutionLayer");

    Api.Response up =
        api.post(
            "/api/v1/models",
            new Multipart()
                .file("file", "graph.zip", "application/zip", zip.toByteArray())
                .field("name", graphName)
                .field("labels", "dark,light")
                .field("inputShape", "[1, 6, 6]"));
    assertThat(up.status()).as(up.raw()).isEqualTo(201);
    assertThat(up.body().path("inputShape").toString()).isEqualTo("[1,6,6]");

    float[] pixels = new float[36];
    StringBuilder instance = new StringBuilder("[");
    for (int i = 0; i < 36; i++) {
      pixels[i] = (i % 7) / 6f;
      instance.append(i == 0 ? "" : ",").append(pixels[i]);
    }
    instance.append("]");
    float[] expected;
    try (INDArray in = Nd4j.create(pixels, new long[] {1, 1, 6, 6}, 'c')) {
      expected = graph.outputSingle(false, in).toFloatVector();
    }
    Api.Response r =
        api.post(
            "/api/v1/models/" + graphName + ":1/classify", "{\"instances\":[" + instance + "]}");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode probs = r.body().path("predictions").get(0).path("probabilities");
    assertThat(probs.path("dark").asDouble()).isCloseTo(expected[0], within(1e-5));
    assertThat(probs.path("light").asDouble()).isCloseTo(expected[1], within(1e-5));
    assertThat(api.get("/api/v1/models/" + graphName + "/card").body().path("parameters").asLong())
        .isEqualTo(graph.numParams());
  }

  @Test
  void shouldHashAnUploadedDatasetAsItsStoredContent() {
    byte[] text = "the quick brown fox jumps over the lazy dog. ".repeat(60).getBytes();
    String dataset = name + "-text";
    Api.Response uploaded =
        api.post(
            "/api/v1/datasets",
            new Multipart()
                .field("name", dataset)
                .field("kind", "text")
                .file("file", "fox.txt", "text/plain", text));
    assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);

    assertThat(datasets.contentSha256(dataset)).isEqualTo(sha256(text));
  }

  /** Dense 4->8 relu, Dense 8->3 softmax with the weights make_fixtures.py wrote. */
  static double[] kerasByHand(double[] x) {
    double[][] k1 = {
      {-0.3, 0.2, 0.0, -0.2, 0.3, 0.1, -0.1, -0.3},
      {0.0, -0.2, 0.3, 0.1, -0.1, -0.3, 0.2, 0.0},
      {0.3, 0.1, -0.1, -0.3, 0.2, 0.0, -0.2, 0.3},
      {-0.1, -0.3, 0.2, 0.0, -0.2, 0.3, 0.1, -0.1}
    };
    double[] b1 = {-0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2};
    double[][] k2 = {
      {-0.4, -0.2, 0.0}, {0.0, 0.2, 0.4}, {0.4, -0.4, -0.2}, {-0.2, 0.0, 0.2},
      {0.2, 0.4, -0.4}, {-0.4, -0.2, 0.0}, {0.0, 0.2, 0.4}, {0.4, -0.4, -0.2}
    };
    double[] b2 = {0.1, -0.1, 0.0};
    double[] h = new double[8];
    for (int j = 0; j < 8; j++) {
      double s = b1[j];
      for (int i = 0; i < 4; i++) {
        s += x[i] * k1[i][j];
      }
      h[j] = Math.max(0, s);
    }
    double[] z = new double[3];
    double sum = 0;
    for (int c = 0; c < 3; c++) {
      double s = b2[c];
      for (int j = 0; j < 8; j++) {
        s += h[j] * k2[j][c];
      }
      z[c] = Math.exp(s);
      sum += z[c];
    }
    for (int c = 0; c < 3; c++) {
      z[c] /= sum;
    }
    return z;
  }

  private String classifiedBy(String path) {
    Api.Response r = api.post(path, instances());
    assertThat(r.status()).as(path + ": " + r.raw()).isEqualTo(200);
    return r.body().path("modelId").asText();
  }

  private static String instances() {
    return "{\"instances\":[" + ROW + "]}";
  }

  static byte[] resource(String path) {
    try (InputStream in =
        ModelRegistryIntegrationTests.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
