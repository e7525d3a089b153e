package io.deeptrain.dataset;

import io.deeptrain.system.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Opt-in download of the canonical MNIST and Fashion-MNIST files into the data directory, each
 * verified by SHA-256 before it is kept. Never runs on its own: only on an explicit request.
 */
@Service
class DatasetDownloads {

  private static final Logger log = LoggerFactory.getLogger(DatasetDownloads.class);

  /*
   * SHA-256 of the gzipped files as published. MNIST: the same four values appear in many
   * independent projects (torchvision mirror scripts, TensorFlow-mirror fetchers, Guild AI, a
   * Haskell loader). Fashion-MNIST: its authors publish MD5 only (8d4fb7e6..., 25c81989...,
   * bef4ecab..., bb300cfd...); these SHA-256 values were found in two unrelated public projects
   * that agree, but were not recomputed here from a fresh download (no network at hand). If the
   * check ever fails on the genuine files, compare with the MD5 values above before changing them.
   */
  static final Map<String, Map<String, String>> FILES =
      Map.of(
          "mnist",
          ordered(
              "train-images-idx3-ubyte.gz",
              "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
              "train-labels-idx1-ubyte.gz",
              "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
              "t10k-images-idx3-ubyte.gz",
              "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
              "t10k-labels-idx1-ubyte.gz",
              "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
          "fashion-mnist",
          ordered(
              "train-images-idx3-ubyte.gz",
              "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
              "train-labels-idx1-ubyte.gz",
              "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
              "t10k-images-idx3-ubyte.gz",
              "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
              "t10k-labels-idx1-ubyte.gz",
              "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf"));

  private final DatasetCatalog catalog;
  private final DatasetProperties properties;

  DatasetDownloads(DatasetCatalog catalog, DatasetProperties properties) {
    this.catalog = catalog;
    this.properties = properties;
  }

  /** Downloads a dataset unless it is already there; returns its description. */
  synchronized DatasetInfo download(String name) {
    Map<String, String> files = FILES.get(name);
    if (files == null) {
      throw new ApiException(
          ApiException.Problem.NOT_FOUND,
          "no download is known for '" + name + "'; downloadable: mnist, fashion-mnist");
    }
    var present = catalog.find(name);
    if (present.isPresent()) {
      return present.get();
    }
    URI base = "mnist".equals(name) ? properties.mnistUrl() : properties.fashionMnistUrl();
    Path target = properties.dir().resolve(name);
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(properties.downloadTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    try {
      Files.createDirectories(target);
      for (Map.Entry<String, String> file : files.entrySet()) {
        fetch(http, base, target, file.getKey(), file.getValue(), name);
      }
    } catch (IOException e) {
      throw ApiException.downloadFailed(
          byHand(name, base, target, "cannot write: " + e.getMessage()));
    }
    catalog.rescanFolders();
    return catalog
        .find(name)
        .orElseThrow(
            () -> new IllegalStateException(name + " downloaded but not found in " + target));
  }

  private void fetch(
      HttpClient http, URI base, Path target, String file, String sha256, String name)
      throws IOException {
    Path done = target.resolve(file);
    if (Files.isRegularFile(done) && sha256.equals(digest(done))) {
      return;
    }
    URI uri = base.resolve(file);
    Path part = target.resolve(file + ".part");
    log.info("Downloading {} into {}", uri, part);
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(properties.downloadTimeout()).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw ApiException.downloadFailed(
            byHand(name, base, target, uri + " answered HTTP " + response.statusCode()));
      }
      MessageDigest sha = sha256();
      try (InputStream in = new DigestInputStream(response.body(), sha);
          OutputStream out = Files.newOutputStream(part)) {
        in.transferTo(out);
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(sha256)) {
        Files.deleteIfExists(part);
        throw ApiException.downloadFailed(
            byHand(
                name,
                base,
                target,
                "%s has SHA-256 %s, expected %s (file discarded)".formatted(uri, actual, sha256)));
      }
      Files.move(part, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(part);
      throw ApiException.downloadFailed(
          byHand(name, base, target, "cannot reach " + uri + " (" + describe(e) + ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Files.deleteIfExists(part);
      throw ApiException.downloadFailed(byHand(name, base, target, "interrupted"));
    }
  }

  private static String byHand(String name, URI base, Path target, String why) {
    return "%s; nothing was added. To install %s by hand, put %s (gzipped or not) into %s, or set deeptrain.datasets.%s to a reachable mirror of %s"
        .formatted(
            why,
            name,
            String.join(", ", FILES.get(name).keySet()),
            target.toAbsolutePath().normalize(),
            "mnist".equals(name) ? "mnist-url" : "fashion-mnist-url",
            base);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName().replace("Exception", "") + (m == null ? "" : ": " + m);
  }

  private static String digest(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
