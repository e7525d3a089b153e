package io.deeptrain.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.ImageFiles;
import io.deeptrain.fixtures.IntegrationTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** Uploads, previews and downloads through real HTTP, stored in the real PostgreSQL. */
@IntegrationTest
@TestPropertySource(
    properties = {
      "deeptrain.embedded-postgres.database=datasets_it",
      "deeptrain.jobs.dispatch=false",
      "deeptrain.datasets.dir=target/test-datasets",
      "deeptrain.datasets.system-dirs=target/test-no-system-datasets",
      "deeptrain.datasets.max-upload-size=100KB",
      "deeptrain.datasets.mnist-url=http://127.0.0.1:9/",
      "deeptrain.datasets.fashion-mnist-url=http://127.0.0.1:9/",
      "spring.servlet.multipart.max-file-size=200KB",
      "spring.servlet.multipart.max-request-size=200KB"
    })
class DatasetUploadIntegrationTests {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;
  Api api;

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  @Test
  void shouldUploadAZipOfClassFoldersAndDescribeIt() {
    Api.Response r = upload(unique("shapes"), "images", shapesZip(), Map.of());

    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    String name = r.body().path("name").asText();
    assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/datasets/" + name);
    assertThat(r.body().path("kind").asText()).isEqualTo("image");
    assertThat(r.body().path("inputShape").toString()).isEqualTo("[1,6,5]");
    assertThat(r.body().path("classes").toString()).isEqualTo("[\"circle\",\"square\"]");
    assertThat(r.body().path("rows").asInt()).isEqualTo(6);
    assertThat(r.body().path("perClass").get(0).path("train").asInt()).isEqualTo(2);
    assertThat(r.body().path("perClass").get(0).path("test").asInt()).isEqualTo(1);

    Api.Response described = api.get("/api/v1/datasets/" + name);
    assertThat(described.status()).isEqualTo(200);
    assertThat(described.body().path("source").asText()).contains("shapes.zip");
  }

  @Test
  void shouldResizeToTheDeclaredSizeAndChannels() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("data/red/1.jpg", ImageFiles.rgb(9, 7, 0xff0000, "jpg"));
    entries.put("data/red/2.png", ImageFiles.rgb(4, 4, 0xff0000, "png"));
    entries.put("data/blue/1.png", ImageFiles.rgb(12, 3, 0x0000ff, "png"));

    Api.Response r =
        upload(
            unique("colours"),
            "images",
            ImageFiles.zip(entries),
            Map.of("width", "8", "height", "8", "channels", "3"));

    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    assertThat(r.body().path("inputShape").toString()).isEqualTo("[3,8,8]");
  }

  @Test
  void shouldUploadACsvWithTheLabelInAnyColumn() {
    String csv = "kind,a,b\nx,1,2\nx,1.5,2.5\ny,5,6\ny,5.5,6.5\n";
    Api.Response r =
        upload(
            unique("csv"),
            "tabular",
            csv.getBytes(StandardCharsets.UTF_8),
            Map.of("labelColumn", "kind"));

    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    assertThat(r.body().path("featureNames").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(r.body().path("classes").toString()).isEqualTo("[\"x\",\"y\"]");
  }

  @Test
  void shouldRejectACsvThatIsNotNumericNamingTheRow() {
    Api.Response r =
        upload(unique("csv"), "tabular", "a,label\n1,x\noops,y\n".getBytes(), Map.of());
    assertProblem(r, 400, "row 2");
  }

  @Test
  void shouldReadAnUploadBackWithAFreshCatalogFromTheDatabase() {
    String name = unique("kept");
    assertThat(upload(name, "images", shapesZip(), Map.of()).status()).isEqualTo(201);

    DatasetCatalog fresh = new DatasetCatalog(List.of(), new DatasetStore(jdbc, json));

    DatasetInfo info = fresh.find(name).orElseThrow();
    assertThat(info.inputShape()).containsExactly(1, 6, 5);
    DatasetSplit split = fresh.open(name, 0.34, 3);
    assertThat(split.train().size() + split.test().size()).isEqualTo(6);
    try (var x = split.train().features(new int[] {0})) {
      assertThat(x.shape()).containsExactly(1, 1, 6, 5);
      assertThat(x.getFloat(0, 0, 0, 0)).isIn(10 / 255f, 240 / 255f);
    }
    assertThat(fresh.list()).extracting(DatasetInfo::name).contains(name);
  }

  @Test
  void shouldServeAPreviewPngOfTheExpectedSize() throws Exception {
    String name =
        upload(unique("preview"), "images", shapesZip(), Map.of()).body().path("name").asText();

    HttpResponse<byte[]> r = api.getRaw("/api/v1/datasets/" + name + "/preview.png");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(r.body()));
    // 6 images in one row of 8 columns, 5x6 tiles with a 2-pixel gap.
    assertThat(png.getWidth()).isEqualTo(8 * (5 + 2) + 2);
    assertThat(png.getHeight()).isEqualTo(6 + 2 + 2);
  }

  @Test
  void shouldRefuseAPreviewOfATabularDatasetWithConflict() {
    Api.Response r = api.get("/api/v1/datasets/iris/preview.png");
    assertProblem(r, 409, "tabular");
    assertThat(api.get("/api/v1/datasets/nope/preview.png").status()).isEqualTo(404);
  }

  @Test
  void shouldRejectZipWithPathTraversal() {
    Map<String, byte[]> entries = new LinkedHashMap<>(shapes());
    entries.put("../evil/1.png", ImageFiles.grayPng(5, 6, 1));
    assertProblem(
        upload(unique("bad"), "images", ImageFiles.zip(entries), Map.of()), 400, "../evil/1.png");

    Map<String, byte[]> absolute = new LinkedHashMap<>(shapes());
    absolute.put("/etc/x/1.png", ImageFiles.grayPng(5, 6, 1));
    assertProblem(
        upload(unique("bad"), "images", ImageFiles.zip(absolute), Map.of()), 400, "unsafe path");
  }

  @Test
  void shouldRejectACorruptZip() {
    byte[] zip = shapesZip();
    byte[] cut = java.util.Arrays.copyOf(zip, zip.length / 2);
    assertProblem(upload(unique("bad"), "images", cut, Map.of()), 400, "zip");
    assertProblem(
        upload(unique("bad"), "images", "not a zip at all".getBytes(), Map.of()), 400, "not a zip");
  }

  @Test
  void shouldRejectAnUndecodableImageNamingTheEntry() {
    Map<String, byte[]> entries = new LinkedHashMap<>(shapes());
    entries.put("square/broken.png", "garbage".getBytes());
    assertProblem(
        upload(unique("bad"), "images", ImageFiles.zip(entries), Map.of()),
        400,
        "square/broken.png");
  }

  @Test
  void shouldRejectASingleClass() {
    Map<String, byte[]> entries =
        Map.of("cat/1.png", ImageFiles.grayPng(5, 6, 1), "cat/2.png", ImageFiles.grayPng(5, 6, 2));
    assertProblem(
        upload(unique("bad"), "images", ImageFiles.zip(entries), Map.of()), 400, "only one class");
  }

  @Test
  void shouldRejectMixedSizesUnlessASizeIsDeclared() {
    Map<String, byte[]> entries = new LinkedHashMap<>(shapes());
    entries.put("square/big.png", ImageFiles.grayPng(9, 9, 1));
    assertProblem(
        upload(unique("bad"), "images", ImageFiles.zip(entries), Map.of()),
        400,
        "declare width and height");
  }

  @Test
  void shouldRejectBadNames() {
    assertProblem(upload("Bad Name!", "images", shapesZip(), Map.of()), 400, "name");
    assertProblem(upload("iris", "images", shapesZip(), Map.of()), 400, "built-in");
    String name = unique("twice");
    assertThat(upload(name, "images", shapesZip(), Map.of()).status()).isEqualTo(201);
    assertProblem(upload(name, "images", shapesZip(), Map.of()), 400, "already taken");
  }

  @Test
  void shouldRejectAnEmptyOrMissingUpload() {
    assertProblem(upload(unique("empty"), "images", new byte[0], Map.of()), 400, "file");
    Api.Response r =
        api.postMultipart(
            "/api/v1/datasets", Map.of("name", unique("none"), "kind", "images"), null, null);
    assertProblem(r, 400, "file");
    assertProblem(upload(unique("k"), "video", shapesZip(), Map.of()), 400, "kind");
  }

  @Test
  void shouldAnswer413FromOurLimitAndFromSpringsLimit() {
    byte[] ours = new byte[150 * 1024];
    ThreadLocalRandom.current().nextBytes(ours);
    Api.Response r = upload(unique("big"), "images", ours, Map.of());
    assertProblem(r, 413, "max-upload-size");
    assertThat(r.body().path("type").asText()).endsWith("/payload-too-large");

    byte[] springs = new byte[300 * 1024];
    Api.Response s = upload(unique("bigger"), "images", springs, Map.of());
    assertProblem(s, 413, "upload limit");
    assertThat(s.body().path("type").asText()).endsWith("/payload-too-large");
    assertThat(s.body().path("title").asText()).isEqualTo("Payload too large");
  }

  @Test
  void shouldExplainWhatToDoWhenTheDownloadCannotReachTheMirror() {
    Api.Response r = api.post("/api/v1/datasets/mnist/download", "");
    assertProblem(r, 502, "cannot reach http://127.0.0.1:9/train-images-idx3-ubyte.gz");
    assertThat(r.body().path("detail").asText())
        .contains("put train-images-idx3-ubyte.gz")
        .contains(Path.of("target/test-datasets/mnist").toAbsolutePath().toString());
    assertThat(api.post("/api/v1/datasets/cifar-100/download", "").status()).isEqualTo(404);
  }

  private void assertProblem(Api.Response r, int status, String detailPart) {
    assertThat(r.status()).as(r.raw()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(r.body().path("detail").asText()).as(r.raw()).contains(detailPart);
  }

  private Api.Response upload(String name, String kind, byte[] file, Map<String, String> extra) {
    Map<String, String> fields = new LinkedHashMap<>(extra);
    fields.put("name", name);
    fields.put("kind", kind);
    return api.postMultipart(
        "/api/v1/datasets", fields, kind.equals("images") ? "shapes.zip" : "data.csv", file);
  }

  private static String unique(String prefix) {
    return prefix + "-" + Long.toHexString(System.nanoTime());
  }

  /** Two classes of three 5x6 grayscale images each. */
  private static Map<String, byte[]> shapes() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      entries.put("square/" + i + ".png", ImageFiles.grayPng(5, 6, 240));
      entries.put("circle/" + i + ".png", ImageFiles.grayPng(5, 6, 10));
    }
    return entries;
  }

  private static byte[] shapesZip() {
    return ImageFiles.zip(shapes());
  }
}
