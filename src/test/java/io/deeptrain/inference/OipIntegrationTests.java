package io.deeptrain.inference;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.dataset.DatasetCatalog;
import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Multipart;
import io.deeptrain.generative.ImageGrids;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol v2 as a KServe or Triton client uses it, on real models trained
 * through the API: an iris MLP, a small Fashion-MNIST CNN and a small GAN. Every answer is checked
 * against the /api/v1 endpoint that computes the same thing.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OipIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final boolean FASHION =
      Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));

  @LocalServerPort int port;
  @Autowired DatasetCatalog datasets;

  private Api api;
  private String irisId;
  private String iris2Id;
  private Api.Response irisReadyBeforeUse;
  private String cnnId;
  private String ganId;
  private String diffusionId;
  private String forecasterId;
  private String languageModelId;

  @BeforeAll
  void trainModels() {
    api = new Api(port);
    // Queued together: one worker trains them in turn while the first tests run.
    String iris =
        submit(
            """
            {"name":"oip-iris","dataset":"iris",
             "spec":{"type":"MLP","layers":[{"units":16,"activation":"RELU"}]},
             "training":{"epochs":10,"batchSize":16,"optimizer":"ADAM","learningRate":0.01,"seed":2}}""");
    // Version 2 of the same name: the bare name now means it.
    String iris2 =
        submit(
            """
            {"name":"oip-iris","dataset":"iris",
             "spec":{"type":"MLP","layers":[{"units":16,"activation":"RELU"}]},
             "training":{"epochs":5,"batchSize":16,"optimizer":"ADAM","learningRate":0.01,"seed":2}}""");
    String forecaster = submit(forecasterJob());
    String languageModel = submit(languageModelJob());
    String cnn = null;
    String gan = null;
    if (FASHION) {
      cnn =
          submit(
              """
              {"name":"oip-fashion-cnn","dataset":"fashion-mnist",
               "spec":{"type":"CNN","layers":[
                 {"type":"CONV2D","filters":8,"kernelSize":3,"activation":"RELU"},
                 {"type":"MAX_POOL","size":2},{"type":"FLATTEN"},
                 {"type":"DENSE","units":32,"activation":"RELU"}]},
               "training":{"epochs":1,"batchSize":50,"optimizer":"ADAM","learningRate":0.003,
                           "seed":7,"maxTrainExamples":1000,"maxTestExamples":200}}""");
      gan =
          submit(
              """
              {"name":"oip-gan","dataset":"fashion-mnist",
               "spec":{"type":"GAN","architecture":"DENSE","latentSize":16,
                       "generator":{"hidden":[64],"learningRate":0.001,"beta1":0.5},
                       "discriminator":{"hidden":[64],"learningRate":0.001,"beta1":0.5}},
               "training":{"epochs":1,"batchSize":50,"seed":3,"maxTrainExamples":500}}""");
    }
    String diffusion =
        FASHION
            ? submit(
                """
                {"name":"oip-diffusion","dataset":"fashion-mnist",
                 "spec":{"type":"DIFFUSION","timesteps":20,"channels":[8,16],"timeEmbeddingSize":16},
                 "training":{"epochs":1,"batchSize":32,"learningRate":0.002,"seed":1,
                             "maxTrainExamples":300,"maxTestExamples":100}}""")
            : null;
    irisId = awaitModel(iris);
    iris2Id = awaitModel(iris2);
    // Nothing has used version 1 yet: it is not in memory.
    irisReadyBeforeUse = api.get("/v2/models/oip-iris/versions/1/ready");
    forecasterId = awaitModel(forecaster);
    languageModelId = awaitModel(languageModel);
    cnnId = cnn == null ? null : awaitModel(cnn);
    ganId = gan == null ? null : awaitModel(gan);
    diffusionId = diffusion == null ? null : awaitModel(diffusion);
  }

  @Test
  void shouldDescribeTheServerAndItsHealth() {
    Api.Response server = api.get("/v2");
    assertThat(server.status()).isEqualTo(200);
    assertThat(server.body().path("name").asText()).isEqualTo("deeptrain");
    assertThat(server.body().path("version").asText()).isNotBlank();
    assertThat(server.body().path("extensions").isArray()).isTrue();
    assertThat(api.get("/v2/health/live").status()).isEqualTo(200);
    Api.Response ready = api.get("/v2/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().path("ready").asBoolean()).isTrue();
  }

  @Test
  void shouldDescribeATabularClassifierAndItsVersions() {
    JsonNode meta = ok(api.get("/v2/models/oip-iris"));
    assertThat(meta.path("name").asText()).isEqualTo("oip-iris");
    assertThat(meta.path("platform").asText()).isEqualTo("deeplearning4j");
    assertThat(meta.path("versions").toString()).isEqualTo("[\"1\",\"2\"]");
    assertThat(meta.path("inputs").toString())
        .isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
    assertThat(meta.path("outputs").toString())
        .isEqualTo(
            "[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,3]},"
                + "{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                + "{\"name\":\"class_index\",\"datatype\":\"INT64\",\"shape\":[-1]}]");
    assertThat(ok(api.get("/v2/models/oip-iris/versions/1"))).isEqualTo(meta);
    assertThat(ok(api.get("/v2/models/" + irisId))).isEqualTo(meta);
    assertThat(ok(api.get("/v2/models/oip-iris/versions/2"))).isEqualTo(meta);
    assertThat(ok(api.get("/v2/models/oip-iris@latest"))).isEqualTo(meta);
  }

  @Test
  void shouldClassifyIrisRowsFlatOrNestedAsTheClassifyEndpointDoes() {
    double[][] rows = {{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 3.0, 4.2, 1.5}};
    JsonNode classified =
        ok(api.post("/api/v1/models/" + iris2Id + "/classify", Map.of("instances", rows)));
    String flat = input("input", "[3,4]", "FP32", Arrays.toString(flatten(rows)));
    String nested = input("input", "[3,4]", "FP64", JSON.writeValueAsString(rows));
    for (String body : List.of(flat, nested)) {
      JsonNode r =
          ok(api.post("/v2/models/oip-iris/infer", "{\"id\":\"r1\",\"inputs\":[" + body + "]}"));
      assertThat(r.path("model_name").asText()).isEqualTo("oip-iris");
      assertThat(r.path("model_version").asText()).isEqualTo("2");
      assertThat(r.path("id").asText()).isEqualTo("r1");
      assertThat(r.path("parameters").path("model_id").asText()).isEqualTo(iris2Id);
      assertMatchesClassify(r, classified, 3);
    }
    // the versions path, and integers for a float model
    JsonNode byVersion =
        ok(
            api.post(
                "/v2/models/oip-iris/versions/1/infer",
                "{\"inputs\":[" + input("input", "[1,4]", "INT32", "[5,3,1,0]") + "]}"));
    JsonNode classifiedInts =
        ok(api.post("/api/v1/models/" + irisId + "/classify", "{\"instances\":[[5,3,1,0]]}"));
    assertThat(byVersion.path("model_version").asText()).isEqualTo("1");
    assertThat(byVersion.path("parameters").path("model_id").asText()).isEqualTo(irisId);
    assertMatchesClassify(byVersion, classifiedInts, 3);
  }

  @Test
  void shouldReturnOnlyTheRequestedOutputsInTheirOrder() {
    JsonNode r =
        ok(
            api.post(
                "/v2/models/oip-iris/infer",
                "{\"inputs\":["
                    + input("input", "[1,4]", "FP32", "[5.1,3.5,1.4,0.2]")
                    + "],\"outputs\":[{\"name\":\"class_index\"},{\"name\":\"label\"}]}"));
    assertThat(r.path("outputs")).hasSize(2);
    assertThat(r.path("outputs").get(0).path("name").asText()).isEqualTo("class_index");
    assertThat(r.path("outputs").get(0).path("shape").toString()).isEqualTo("[1]");
    assertThat(r.path("outputs").get(1).path("name").asText()).isEqualTo("label");
  }

  @Test
  void shouldAnswerModelReadinessAndLoadOnRequest() {
    Api.Response first = irisReadyBeforeUse;
    assertThat(first.status()).as(first.raw()).isEqualTo(503);
    assertThat(first.body().path("ready").asBoolean()).isFalse();
    assertThat(first.body().path("version").asText()).isEqualTo("1");
    // The 503 started a background load: a probe polls until the model is warm.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Api.Response now = first;
    while (now.status() != 200 && System.nanoTime() < deadline) {
      Api.sleep(100);
      now = api.get("/v2/models/oip-iris/versions/1/ready");
    }
    assertThat(now.status()).as(now.raw()).isEqualTo(200);
    assertThat(now.body().path("ready").asBoolean()).isTrue();
    assertThat(now.body().path("name").asText()).isEqualTo("oip-iris");
    assertError(api.get("/v2/models/no-such-model/ready"), 404, "no-such-model");
  }

  @Test
  void shouldAnswerBadRequestsWithTheProtocolsErrorObject() {
    String infer = "/v2/models/oip-iris/infer";
    assertError(
        api.post(infer, "{\"inputs\":[" + input("input", "[1,3]", "FP32", "[1,2,3]") + "]}"),
        400,
        "input 'input': shape [1, 3] does not fit the model's [-1, 4]");
    assertError(
        api.post(infer, "{\"inputs\":[" + input("input", "[1,4]", "FP32", "[1,2,3]") + "]}"),
        400,
        "shape [1, 4] has 4 elements but data has 3");
    assertError(
        api.post(
            infer,
            "{\"inputs\":[" + input("input", "[1,4]", "BYTES", "[\"a\",\"b\",\"c\",\"d\"]") + "]}"),
        400,
        "datatype BYTES is not allowed");
    assertError(
        api.post(infer, "{\"inputs\":[" + input("input", "[1,4]", "FLOAT", "[1,2,3,4]") + "]}"),
        400,
        "datatype 'FLOAT' is unknown");
    assertError(
        api.post(infer, "{\"inputs\":[" + input("pixels", "[1,4]", "FP32", "[1,2,3,4]") + "]}"),
        400,
        "input 'pixels' is not an input of this model; its inputs: input (FP32 [-1, 4])");
    assertError(
        api.post(
            infer,
            "{\"inputs\":["
                + input("input", "[1,4]", "FP32", "[1,2,3,4]")
                + "],\"outputs\":[{\"name\":\"logits\"}]}"),
        400,
        "output 'logits' is not an output of this model");
    assertError(
        api.post(
            infer,
            "{\"inputs\":["
                + input("input", "[1,4]", "FP32", "[1,2,3,4]")
                + "],\"parameters\":{\"temperature\":0.5}}"),
        400,
        "parameter 'temperature' does not apply to this model");
    assertError(api.post(infer, "{\"inputs\":[{\"name\":"), 400, "not valid JSON");
    assertError(api.post(infer, "{\"inputs\":{}}"), 400, "inputs must be an array");
    assertError(
        api.post(infer, "{\"inputs\":[{\"name\":\"input\",\"shape\":\"2x4\"}]}"),
        400,
        "inputs[0].shape must be an array");
    assertError(api.post(infer, "{\"inputs\":[],\"bogus\":1}"), 400, "bogus");
    assertError(api.post(infer, "{\"inputs\":[]}"), 400, "send exactly one input, got 0");
    assertError(
        api.post("/v2/models/no-such-model/infer", "{\"inputs\":[]}"), 404, "no-such-model");
    assertError(api.get("/v2/models/oip-iris/versions/9"), 404, "oip-iris:9");
    assertError(
        api.post("/v2/models/oip-iris/versions/9/infer", "{\"inputs\":[]}"), 404, "oip-iris:9");
    assertError(api.get("/v2/models/oip-iris/versions/x"), 400, "must be a whole number");
    assertError(api.get(infer), 405, "GET is not supported");
    assertError(api.get("/v2/nothing-here"), 404, "no endpoint GET /v2/nothing-here");
    // the rest of the API keeps RFC 9457 problem details
    Api.Response v1 = api.post("/api/v1/models/" + irisId + "/classify", "{\"instances\":");
    assertThat(v1.status()).isEqualTo(400);
    assertThat(v1.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    assertThat(v1.body().path("type").asText()).startsWith("https://deeptrain.io/problems/");
  }

  @Test
  void shouldClassifyFashionImagesAsPixelsOrPngsAsTheClassifyEndpointDoes() {
    assumeThat(FASHION).as("Debian's dataset-fashion-mnist (.ci/run installs it)").isTrue();
    JsonNode meta = ok(api.get("/v2/models/oip-fashion-cnn"));
    assertThat(meta.path("inputs").toString())
        .isEqualTo(
            "[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,1,28,28]},"
                + "{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[-1]}]");
    assertThat(meta.path("outputs").get(0).path("shape").toString()).isEqualTo("[-1,10]");

    DatasetSplit split = datasets.open("fashion-mnist", 0.2, 1);
    float[][] pixels = new float[2][];
    List<String> pngs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (INDArray image = split.test().features(new int[] {i})) {
        pixels[i] = image.dup('c').data().asFloat();
        pngs.add(Base64.getEncoder().encodeToString(ImageGrids.png(image)));
      }
    }
    JsonNode classified =
        ok(api.post("/api/v1/models/" + cnnId + "/classify", Map.of("instances", pixels)));
    float[][][][] nestedPixels = new float[2][1][28][28];
    for (int i = 0; i < 2; i++) {
      for (int y = 0; y < 28; y++) {
        System.arraycopy(pixels[i], y * 28, nestedPixels[i][0][y], 0, 28);
      }
    }
    String flat =
        Arrays.toString(pixels[0]).replace("]", "")
            + ", "
            + Arrays.toString(pixels[1]).substring(1);
    for (String body :
        List.of(
            input("input", "[2,1,28,28]", "FP32", JSON.writeValueAsString(nestedPixels)),
            input("input", "[2,1,28,28]", "FP32", flat),
            input("input", "[2,784]", "FP32", flat))) {
      assertMatchesClassify(
          ok(api.post("/v2/models/oip-fashion-cnn/infer", "{\"inputs\":[" + body + "]}")),
          classified,
          10);
    }
    JsonNode classifiedPngs =
        ok(api.post("/api/v1/models/" + cnnId + "/classify", Map.of("images", pngs)));
    JsonNode byPng =
        ok(
            api.post(
                "/v2/models/oip-fashion-cnn/infer",
                "{\"inputs\":["
                    + input("image", "[2]", "BYTES", JSON.writeValueAsString(pngs))
                    + "]}"));
    assertMatchesClassify(byPng, classifiedPngs, 10);
    assertError(
        api.post(
            "/v2/models/oip-fashion-cnn/infer",
            "{\"inputs\":[" + input("image", "[1]", "BYTES", "[\"bm90IGFuIGltYWdl\"]") + "]}"),
        400,
        "input 'image' element [0]");
    assertError(
        api.post(
            "/v2/models/oip-fashion-cnn/infer",
            "{\"inputs\":["
                + input("input", "[1,28,28]", "FP32", "[" + "0,".repeat(783) + "0]")
                + "]}"),
        400,
        "does not fit the model's [-1, 1, 28, 28]");
  }

  @Test
  void shouldGeneratePngImagesFromASeedAndCount() throws Exception {
    assumeThat(FASHION).as("Debian's dataset-fashion-mnist (.ci/run installs it)").isTrue();
    JsonNode meta = ok(api.get("/v2/models/oip-gan"));
    assertThat(meta.path("inputs").toString()).isEqualTo("[]");
    assertThat(meta.path("outputs").toString())
        .isEqualTo(
            "[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                + "{\"name\":\"pixels\",\"datatype\":\"FP32\",\"shape\":[-1,1,28,28]}]");

    String request = "{\"inputs\":[],\"parameters\":{\"seed\":7,\"count\":3}}";
    JsonNode r = ok(api.post("/v2/models/oip-gan/infer", request));
    assertThat(r.path("parameters").path("seed").asLong()).isEqualTo(7);
    assertThat(r.path("parameters").path("count").asInt()).isEqualTo(3);
    JsonNode images = r.path("outputs").get(0);
    assertThat(images.path("name").asText()).isEqualTo("image");
    assertThat(images.path("datatype").asText()).isEqualTo("BYTES");
    assertThat(images.path("shape").toString()).isEqualTo("[3]");
    assertThat(images.path("parameters").path("content_type").asText()).isEqualTo("image/png");
    assertThat(images.path("data")).hasSize(3);
    for (JsonNode png : images.path("data")) {
      BufferedImage decoded =
          ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.asText())));
      assertThat(decoded).as("a PNG").isNotNull();
      assertThat(decoded.getWidth()).isEqualTo(28);
      assertThat(decoded.getHeight()).isEqualTo(28);
    }
    JsonNode pixels = r.path("outputs").get(1);
    assertThat(pixels.path("shape").toString()).isEqualTo("[3,1,28,28]");
    assertThat(pixels.path("data")).hasSize(3 * 784);
    pixels.path("data").forEach(p -> assertThat(p.asDouble()).isBetween(0.0, 1.0));

    JsonNode again =
        ok(
            api.post(
                "/v2/models/oip-gan/infer",
                "{\"parameters\":{\"seed\":7,\"count\":3},\"outputs\":[{\"name\":\"image\"}]}"));
    assertThat(again.path("outputs")).hasSize(1);
    assertThat(again.path("outputs").get(0).path("data")).isEqualTo(images.path("data"));
    JsonNode other =
        ok(api.post("/v2/models/oip-gan/infer", "{\"parameters\":{\"seed\":8,\"count\":3}}"));
    assertThat(other.path("outputs").get(0).path("data")).isNotEqualTo(images.path("data"));
    // the v1 endpoint draws the same images from the same seed
    JsonNode generated =
        ok(api.post("/api/v1/models/" + ganId + "/generate", "{\"n\":3,\"seed\":7}"));
    assertThat(generated.path("images")).isEqualTo(images.path("data"));

    assertError(
        api.post("/v2/models/oip-gan/infer", "{\"parameters\":{\"steps\":10}}"),
        400,
        "parameter 'steps' does not apply to this model; it takes count, n, seed");
    assertError(
        api.post("/v2/models/oip-gan/infer", "{\"parameters\":{\"seed\":\"abc\"}}"),
        400,
        "parameter 'seed' must be an integer");
    assertError(
        api.post(
            "/v2/models/oip-gan/infer",
            "{\"inputs\":[" + input("input", "[1]", "FP32", "[1]") + "]}"),
        400,
        "is not an input of this model; it takes none");
    assertError(
        api.post("/v2/models/oip-gan/infer", "{\"parameters\":{\"count\":0}}"), 400, "1 to 256");
  }

  @Test
  void shouldForecastABatchOfHistoriesAsTheForecastEndpointDoes() {
    JsonNode meta = ok(api.get("/v2/models/oip-sine"));
    assertThat(meta.path("inputs").toString())
        .isEqualTo("[{\"name\":\"history\",\"datatype\":\"FP32\",\"shape\":[-1,-1,1]}]");
    assertThat(meta.path("outputs").toString())
        .isEqualTo("[{\"name\":\"forecast\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]");
    double[][][] histories = new double[2][10][1];
    for (int t = 0; t < 10; t++) {
      histories[0][t][0] = Math.sin(2 * Math.PI * t / 25);
      histories[1][t][0] = Math.sin(2 * Math.PI * (t + 7) / 25);
    }
    JsonNode r =
        ok(
            api.post(
                "/v2/models/oip-sine/infer",
                "{\"inputs\":["
                    + input("history", "[2,10,1]", "FP64", JSON.writeValueAsString(histories))
                    + "]}"));
    JsonNode forecast = output(r, "forecast");
    assertThat(forecast.path("shape").toString()).isEqualTo("[2,2]");
    for (int i = 0; i < 2; i++) {
      JsonNode v1 =
          ok(api.post(
                  "/api/v1/models/" + forecasterId + "/forecast", Map.of("history", histories[i])))
              .path("forecast");
      for (int k = 0; k < 2; k++) {
        assertThat(forecast.path("data").get(i * 2 + k).asDouble())
            .isCloseTo(v1.get(k).asDouble(), within(1e-5));
      }
    }
    assertError(
        api.post(
            "/v2/models/oip-sine/infer",
            "{\"inputs\":["
                + input("history", "[1,10]", "FP32", "[" + "0,".repeat(9) + "0]")
                + "]}"),
        400,
        "does not fit the model's [-1, -1, 1]");
  }

  @Test
  void shouldCompletePromptsAsTheCompleteEndpointDoesWithTheSameSeed() {
    JsonNode meta = ok(api.get("/v2/models/oip-text"));
    assertThat(meta.path("inputs").toString())
        .isEqualTo("[{\"name\":\"prompt\",\"datatype\":\"BYTES\",\"shape\":[-1]}]");
    assertThat(meta.path("outputs").toString())
        .isEqualTo("[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[-1]}]");
    JsonNode r =
        ok(
            api.post(
                "/v2/models/oip-text/infer",
                "{\"inputs\":["
                    + input("prompt", "[2]", "BYTES", "[\"the \",\"a lazy \"]")
                    + "],\"parameters\":{\"seed\":5,\"length\":30,\"temperature\":0.8,"
                    + "\"top_k\":5}}"));
    assertThat(r.path("parameters").path("seed").asLong()).isEqualTo(5);
    JsonNode text = output(r, "text");
    assertThat(text.path("shape").toString()).isEqualTo("[2]");
    List<String> prompts = List.of("the ", "a lazy ");
    for (int i = 0; i < 2; i++) {
      JsonNode v1 =
          ok(
              api.post(
                  "/api/v1/models/" + languageModelId + "/complete",
                  Map.of(
                      "prompt",
                      prompts.get(i),
                      "seed",
                      5,
                      "length",
                      30,
                      "temperature",
                      0.8,
                      "topK",
                      5)));
      assertThat(text.path("data").get(i).asText())
          .hasSize(30)
          .isEqualTo(v1.path("completion").asText());
    }
    assertError(
        api.post(
            "/v2/models/oip-text/infer",
            "{\"inputs\":[" + input("prompt", "[1]", "FP32", "[1]") + "]}"),
        400,
        "datatype FP32 is not allowed; it takes BYTES");
    assertError(
        api.post(
            "/v2/models/oip-text/infer",
            "{\"inputs\":["
                + input("prompt", "[1]", "BYTES", "[\"the \"]")
                + "],\"parameters\":{\"count\":2}}"),
        400,
        "parameter 'count' does not apply to this model; it takes length, seed, temperature, top_k");
  }

  @Test
  void shouldSampleADiffusionModelWithStepsAndSamplerAsTheSampleEndpointDoes() {
    assumeThat(FASHION).as("Debian's dataset-fashion-mnist (.ci/run installs it)").isTrue();
    JsonNode meta = ok(api.get("/v2/models/oip-diffusion"));
    assertThat(meta.path("inputs").toString()).isEqualTo("[]");
    assertThat(meta.path("outputs").get(1).path("shape").toString()).isEqualTo("[-1,1,28,28]");
    JsonNode r =
        ok(
            api.post(
                "/v2/models/oip-diffusion/infer",
                "{\"parameters\":{\"seed\":3,\"n\":2,\"steps\":5,\"sampler\":\"ddpm\"},"
                    + "\"outputs\":[{\"name\":\"image\"}]}"));
    assertThat(r.path("parameters").path("steps").asInt()).isEqualTo(5);
    assertThat(r.path("parameters").path("sampler").asText()).isEqualTo("DDPM");
    JsonNode images = output(r, "image");
    assertThat(images.path("shape").toString()).isEqualTo("[2]");
    JsonNode sampled =
        ok(
            api.post(
                "/api/v1/models/" + diffusionId + "/sample",
                "{\"n\":2,\"steps\":5,\"sampler\":\"DDPM\",\"seed\":3}"));
    assertThat(images.path("data")).isEqualTo(sampled.path("images").path("images"));
    assertError(
        api.post("/v2/models/oip-diffusion/infer", "{\"parameters\":{\"sampler\":\"EULER\"}}"),
        400,
        "parameter 'sampler' must be one of [DDPM, DDIM], got EULER");
    assertError(
        api.post("/v2/models/oip-diffusion/infer", "{\"parameters\":{\"steps\":21}}"),
        400,
        "steps must be 1 to 20");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void assertMatchesClassify(JsonNode oip, JsonNode classified, int classes) {
    JsonNode predictions = classified.path("predictions");
    int n = predictions.size();
    JsonNode probabilities = output(oip, "probabilities");
    assertThat(probabilities.path("datatype").asText()).isEqualTo("FP32");
    assertThat(probabilities.path("shape").toString()).isEqualTo("[" + n + "," + classes + "]");
    JsonNode labels = output(oip, "label");
    JsonNode indices = output(oip, "class_index");
    assertThat(labels.path("shape").toString()).isEqualTo("[" + n + "]");
    assertThat(indices.path("datatype").asText()).isEqualTo("INT64");
    for (int i = 0; i < n; i++) {
      JsonNode p = predictions.get(i);
      assertThat(labels.path("data").get(i).asText()).isEqualTo(p.path("label").asText());
      List<String> names = new ArrayList<>();
      p.path("probabilities").propertyNames().forEach(names::add);
      assertThat(indices.path("data").get(i).asInt())
          .isEqualTo(names.indexOf(p.path("label").asText()));
      for (int c = 0; c < classes; c++) {
        assertThat(probabilities.path("data").get(i * classes + c).asDouble())
            .isCloseTo(p.path("probabilities").path(names.get(c)).asDouble(), within(1e-6));
      }
    }
  }

  private static JsonNode output(JsonNode response, String name) {
    for (JsonNode o : response.path("outputs")) {
      if (o.path("name").asText().equals(name)) {
        return o;
      }
    }
    throw new AssertionError("no output " + name + " in " + response);
  }

  private static void assertError(Api.Response r, int status, String contains) {
    assertThat(r.status()).as(r.raw()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body().propertyNames()).containsExactly("error");
    assertThat(r.body().path("error").asText()).contains(contains);
  }

  private static JsonNode ok(Api.Response r) {
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    return r.body();
  }

  private static String input(String name, String shape, String datatype, String data) {
    return "{\"name\":\"%s\",\"shape\":%s,\"datatype\":\"%s\",\"data\":%s}"
        .formatted(name, shape, datatype, data);
  }

  private static double[] flatten(double[][] rows) {
    return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
  }

  /** A small LSTM forecaster on a clean sine (period 25), windows of 10 rows, 2 steps ahead. */
  private String forecasterJob() {
    StringBuilder csv = new StringBuilder("y\n");
    for (int t = 0; t < 300; t++) {
      csv.append(Math.sin(2 * Math.PI * t / 25)).append('\n');
    }
    Api.Response uploaded =
        api.post(
            "/api/v1/datasets",
            new Multipart()
                .field("name", "oip-sine")
                .field("kind", "timeseries")
                .field("window", "10")
                .field("horizon", "2")
                .file("file", "sine.csv", "text/csv", csv.toString().getBytes(UTF_8)));
    assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);
    return """
        {"name":"oip-sine","dataset":"oip-sine",
         "spec":{"type":"LSTM","layers":[{"units":8}],"head":"REGRESSION"},
         "training":{"epochs":2,"batchSize":32,"optimizer":"ADAM","learningRate":0.01,"seed":4}}""";
  }

  /** A small character-level language model on a few repeated sentences. */
  private String languageModelJob() {
    String text = "the quick brown fox jumps over a lazy dog. a lazy dog sleeps in the sun. ";
    Api.Response uploaded =
        api.post(
            "/api/v1/datasets",
            new Multipart()
                .field("name", "oip-text")
                .field("kind", "text")
                .file("file", "text.txt", "text/plain", text.repeat(40).getBytes(UTF_8)));
    assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);
    return """
        {"name":"oip-text","dataset":"oip-text",
         "spec":{"type":"LSTM","layers":[{"units":16}],"head":"LANGUAGE_MODEL","sequenceLength":32},
         "training":{"epochs":1,"batchSize":16,"optimizer":"ADAM","learningRate":0.01,"seed":3}}""";
  }

  private String submit(String job) {
    Api.Response r = api.post("/api/v1/jobs", job);
    assertThat(r.status()).as(r.raw()).isEqualTo(202);
    return r.body().path("id").asText();
  }

  private String awaitModel(String job) {
    JsonNode done =
        api.awaitJob(
            java.util.UUID.fromString(job),
            j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
            Duration.ofMinutes(3));
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    return done.path("modelId").asText();
  }
}
