package io.deeptrain.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.deeptrain.system.ApiException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTests {

  private final DatasetCatalog catalog = new DatasetCatalog();

  @Test
  void shouldDescribeIrisAndWineWithTheirDefaultSplit() {
    assertThat(catalog.list()).extracting(DatasetInfo::name).containsExactly("iris", "wine");

    DatasetInfo iris = catalog.find("iris").orElseThrow();
    assertThat(iris.kind()).isEqualTo("tabular");
    assertThat(iris.inputShape()).containsExactly(4);
    assertThat(iris.featureNames())
        .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
    assertThat(iris.classes()).containsExactly("setosa", "versicolor", "virginica");
    assertThat(iris.rows()).isEqualTo(150);
    assertThat(iris.trainRows()).isEqualTo(120);
    assertThat(iris.testRows()).isEqualTo(30);

    DatasetInfo wine = catalog.find("wine").orElseThrow();
    assertThat(wine.inputShape()).containsExactly(13);
    assertThat(wine.classes()).hasSize(3);
    assertThat(wine.rows()).isEqualTo(178);
    assertThat(wine.trainRows() + wine.testRows()).isEqualTo(178);
    assertThat(wine.testRows()).isEqualTo(36); // 59/71/48 rows -> 12 + 14 + 10
  }

  @Test
  void shouldHashABuiltInDatasetAsItsCsvFile() throws Exception {
    byte[] csv =
        DatasetCatalog.class
            .getClassLoader()
            .getResourceAsStream("datasets/iris.csv")
            .readAllBytes();

    assertThat(catalog.contentSha256("iris")).isEqualTo(sha256(csv));
    assertThat(catalog.contentSha256("wine")).isNotEqualTo(catalog.contentSha256("iris"));
    assertThatThrownBy(() -> catalog.contentSha256("no-such"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("no-such");
  }

  @Test
  void shouldHashAFolderDatasetAsItsFilesConcatenatedInReadingOrder(@TempDir Path dir)
      throws Exception {
    DatasetCatalog images = ImageCatalogs.withIdxImages(dir, "tiny", 6, 4, 5, 5);
    ByteArrayOutputStream cat = new ByteArrayOutputStream();
    for (String file :
        List.of(
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte")) {
      Path p = DatasetFolders.idxFile(dir.resolve("tiny"), file);
      cat.writeBytes(Files.readAllBytes(p));
    }

    String hash = images.contentSha256("tiny");
    assertThat(hash).isEqualTo(sha256(cat.toByteArray()));
    // Cached: computed once, even if the files change under the name.
    Files.write(DatasetFolders.idxFile(dir.resolve("tiny"), "t10k-labels-idx1-ubyte"), new byte[0]);
    assertThat(images.contentSha256("tiny")).isEqualTo(hash);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void shouldNotFindAnUnknownDataset() {
    assertThat(catalog.find("mnist")).isEmpty();
    assertThatThrownBy(() -> catalog.open("mnist", 0.2, 1))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("mnist");
  }

  @Test
  void shouldKeepEachClassShareInBothPartsOfTheSplit() {
    DatasetSplit split = catalog.open("iris", 0.2, 7);

    assertThat(counts(split.train().labels(), 3)).containsExactly(40, 40, 40);
    assertThat(counts(split.test().labels(), 3)).containsExactly(10, 10, 10);
  }

  @Test
  void shouldSplitTheSameWayForTheSameSeedAndDifferentlyForAnother() {
    DatasetSplit a = catalog.open("wine", 0.2, 3);
    DatasetSplit b = catalog.open("wine", 0.2, 3);
    DatasetSplit c = catalog.open("wine", 0.2, 4);

    assertThat(matrix(a.test())).isDeepEqualTo(matrix(b.test()));
    assertThat(Arrays.deepEquals(matrix(a.test()), matrix(c.test()))).isFalse();
  }

  @Test
  void shouldStandardiseWithStatisticsOfTheTrainingRowsOnly() {
    DatasetSplit split = catalog.open("wine", 0.2, 11);

    for (int f = 0; f < split.standardization().features(); f++) {
      int feature = f;
      double[] train = Arrays.stream(matrix(split.train())).mapToDouble(r -> r[feature]).toArray();
      double[] test = Arrays.stream(matrix(split.test())).mapToDouble(r -> r[feature]).toArray();
      // Exactly mean 0 / std 1 on train rows only happens when the fit saw train rows only.
      assertThat(mean(train)).isCloseTo(0.0, within(1e-5));
      assertThat(std(train)).isCloseTo(1.0, within(1e-5));
      assertThat(Math.abs(mean(test))).isGreaterThan(1e-6);
    }
  }

  @Test
  void shouldMapAConstantFeatureToZeroInsteadOfNaN() {
    Standardization s = Standardization.fit(new double[][] {{1, 5}, {3, 5}});

    assertThat(s.std()).containsExactly(1.0, 1.0);
    assertThat(s.apply(new double[] {3, 5})).containsExactly(1.0, 0.0);
  }

  /** All examples of a split as rows, the way the network sees them (float precision). */
  private static double[][] matrix(Examples examples) {
    int[] all = IntStream.range(0, examples.size()).toArray();
    try (var x = examples.features(all)) {
      return x.toDoubleMatrix();
    }
  }

  private static int[] counts(int[] labels, int classes) {
    int[] counts = new int[classes];
    IntStream.of(labels).forEach(l -> counts[l]++);
    return counts;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  private static double std(double[] v) {
    double m = mean(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
  }
}
