package io.deeptrain.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.deeptrain.fixtures.ImageFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageDatasetTests {

  @TempDir Path dir;

  @Test
  void shouldReadGzippedAndRawIdxFiles() throws IOException {
    byte[] pixels = {0, 1, 2, (byte) 255, 4, 5, 6, 7};
    Path gz = writeIdx(dir.resolve("a.gz"), true, pixels, 2, 2, 2);
    Path raw = writeIdx(dir.resolve("a"), false, pixels, 2, 2, 2);

    for (Path file : List.of(gz, raw)) {
      assertThat(IdxReader.dimensions(file)).containsExactly(2, 2, 2);
      byte[] target = new byte[10];
      IdxReader.readInto(file, target, 2);
      assertThat(target).containsExactly(0, 0, 0, 1, 2, (byte) 255, 4, 5, 6, 7);
    }
  }

  @Test
  void shouldRejectATruncatedIdxFile() throws IOException {
    Path file = dir.resolve("short");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x0803);
    out.writeInt(5);
    out.writeInt(28);
    out.writeInt(28);
    out.write(new byte[100]);
    Files.write(file, bytes.toByteArray());

    assertThatThrownBy(() -> IdxReader.readAll(file))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void shouldListAnIdxFolderFromHeadersAndOpenItsFixedSplit() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("kmnist"));
    writeMnistFolder(folder, 6, 3, 4, 5);
    Files.writeString(folder.resolve("classes.txt"), "o\nki\nsu\n");

    DatasetCatalog catalog = new DatasetCatalog(List.of(dir), null);

    DatasetInfo info = catalog.find("kmnist").orElseThrow();
    assertThat(info.kind()).isEqualTo("image");
    assertThat(info.inputShape()).containsExactly(1, 4, 5);
    assertThat(info.classes()).containsExactly("o", "ki", "su");
    assertThat(info.trainRows()).isEqualTo(6);
    assertThat(info.testRows()).isEqualTo(3);
    assertThat(info.fixedSplit()).isTrue();
    assertThat(info.description()).contains("testFraction is ignored");
    assertThat(info.trainPerClass()).containsExactly(2, 2, 2);

    DatasetSplit split = catalog.open("kmnist", 0.5, 1);
    assertThat(split.train().size()).isEqualTo(6);
    assertThat(split.test().size()).isEqualTo(3);
    assertThat(split.test().labels()).containsExactly(0, 1, 2);
    assertThat(split.standardization()).isNull();
  }

  @Test
  void shouldScaleImagePixelsToUnitRangeInNchwBatches() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("digits"));
    writeMnistFolder(folder, 4, 2, 2, 3);
    DatasetSplit split = new DatasetCatalog(List.of(dir), null).open("digits", 0.2, 1);

    try (INDArray x = split.train().features(new int[] {3, 1})) {
      assertThat(x.shape()).containsExactly(2, 1, 2, 3);
      // Image i holds pixel values i*10 + p (see writeMnistFolder).
      assertThat(x.getFloat(0, 0, 0, 0)).isEqualTo(30 / 255f);
      assertThat(x.getFloat(0, 0, 1, 2)).isEqualTo(35 / 255f);
      assertThat(x.getFloat(1, 0, 0, 1)).isEqualTo(11 / 255f);
    }
  }

  @Test
  void shouldShareOnePixelBlockBetweenSplitsAndOpens() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("digits"));
    writeMnistFolder(folder, 4, 2, 2, 3);
    DatasetCatalog catalog = new DatasetCatalog(List.of(dir), null);

    DatasetSplit a = catalog.open("digits", 0.2, 1);
    DatasetSplit b = catalog.open("digits", 0.2, 2);

    ImageBlock block = ((ImageExamples) a.train()).block();
    assertThat(((ImageExamples) a.test()).block()).isSameAs(block);
    assertThat(((ImageExamples) b.train()).block()).isSameAs(block);
    assertThat(((ImageExamples) b.train()).block().pixels()).isSameAs(block.pixels());
  }

  @Test
  void shouldReadCifarBatchesWithClassNamesFromTheMetaFile() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
    writeCifar(folder.resolve("data_batch_1.bin"), 0, 3);
    writeCifar(folder.resolve("data_batch_2.bin"), 3, 2);
    writeCifar(folder.resolve("test_batch.bin"), 5, 2);
    Files.writeString(folder.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\n\n");

    DatasetCatalog catalog = new DatasetCatalog(List.of(dir), null);
    DatasetInfo info = catalog.find("cifar-10").orElseThrow();
    assertThat(info.inputShape()).containsExactly(3, 32, 32);
    assertThat(info.classes()).containsExactly("airplane", "automobile", "bird");
    assertThat(info.trainRows()).isEqualTo(5);
    assertThat(info.testRows()).isEqualTo(2);

    DatasetSplit split = catalog.open("cifar-10", 0.2, 1);
    assertThat(split.train().labels()).containsExactly(0, 1, 2, 0, 1);
    assertThat(split.test().labels()).containsExactly(2, 0);
    try (INDArray x = split.test().features(new int[] {1})) {
      assertThat(x.shape()).containsExactly(1, 3, 32, 32);
      // Record 6: red plane = 6, green = 106, blue = 206 (see writeCifar).
      assertThat(x.getFloat(0, 0, 5, 5)).isEqualTo(6 / 255f);
      assertThat(x.getFloat(0, 1, 0, 0)).isEqualTo(106 / 255f);
      assertThat(x.getFloat(0, 2, 31, 31)).isEqualTo(206 / 255f);
    }
  }

  @Test
  void shouldSkipAFolderWhoseFilesDisagreeAndKeepTheOthers() throws IOException {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    writeMnistFolder(bad, 4, 2, 2, 3);
    // Three test labels for two test images.
    writeIdx(bad.resolve("t10k-labels-idx1-ubyte"), false, new byte[] {0, 1, 2}, 3);
    writeMnistFolder(Files.createDirectories(dir.resolve("good")), 4, 2, 2, 3);

    DatasetCatalog catalog = new DatasetCatalog(List.of(dir), null);

    assertThat(catalog.find("bad")).isEmpty();
    assertThat(catalog.find("good")).isPresent();
  }

  @Test
  void shouldFindFashionMnistWithItsOwnSplitAndClassNames() {
    Path system = Path.of("/usr/share/datasets");
    assumeThat(system.resolve("fashion-mnist")).isDirectory();
    DatasetCatalog catalog = new DatasetCatalog(List.of(system), null);

    DatasetInfo info = catalog.find("fashion-mnist").orElseThrow();
    assertThat(info.inputShape()).containsExactly(1, 28, 28);
    assertThat(info.trainRows()).isEqualTo(60_000);
    assertThat(info.testRows()).isEqualTo(10_000);
    assertThat(info.classes()).startsWith("T-shirt/top", "Trouser").endsWith("Ankle boot");
    assertThat(info.trainPerClass()).containsOnly(6_000);

    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    long start = System.nanoTime();
    DatasetSplit split = catalog.open("fashion-mnist", 0.2, 1);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    System.out.printf(
        "fashion-mnist open: %.2f s, heap +%d MB (pixel block %d MB)%n",
        seconds,
        (after - before) >> 20,
        ((ImageExamples) split.train()).block().pixels().length >> 20);

    assertThat(split.train().size()).isEqualTo(60_000);
    assertThat(split.test().size()).isEqualTo(10_000);
    assertThat(((ImageExamples) split.train()).block().pixels()).hasSize(70_000 * 784);
  }

  @Test
  void shouldEncodeAndDecodeChwImagesLosslessly() {
    byte[] gray = new byte[6 * 4];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = (byte) (i * 10);
    }
    byte[] png = ImageCodec.encodePng(gray, 1, 4, 6);
    assertThat(ImageCodec.decode(png, 1, 4, 6)).containsExactly(gray);

    byte[] rgb = new byte[3 * 2 * 2];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 20);
    }
    assertThat(ImageCodec.decode(ImageCodec.encodePng(rgb, 3, 2, 2), 3, 2, 2)).containsExactly(rgb);
  }

  @Test
  void shouldResizeAndConvertChannelsWhenDecoding() {
    byte[] png = ImageFiles.grayPng(10, 10, 200);
    byte[] small = ImageCodec.decode(png, 3, 4, 5);
    assertThat(small).hasSize(3 * 4 * 5).containsOnly((byte) 200);

    byte[] red = ImageFiles.rgb(3, 3, 0xff0000, "png");
    assertThat(ImageCodec.decode(red, 1, 3, 3)).containsOnly((byte) 76); // 0.299 * 255
  }

  @Test
  void shouldFailClearlyOnBytesThatAreNoImage() {
    assertThatThrownBy(() -> ImageCodec.read("hello".getBytes()))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("not a PNG or JPEG");
    byte[] png = ImageFiles.grayPng(8, 8, 1);
    byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
    assertThatThrownBy(() -> ImageCodec.read(cut)).isInstanceOf(ImageDecodeException.class);
  }

  /** count/test images of h x w; image i has pixel p = i*10 + p, label i % 3. */
  static void writeMnistFolder(Path folder, int train, int test, int h, int w) throws IOException {
    int size = h * w;
    for (String part : List.of("train", "t10k")) {
      int n = part.equals("train") ? train : test;
      int first = part.equals("train") ? 0 : train;
      byte[] pixels = new byte[n * size];
      byte[] labels = new byte[n];
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < size; p++) {
          pixels[i * size + p] = (byte) ((first + i) * 10 + p);
        }
        labels[i] = (byte) (i % 3);
      }
      writeIdx(folder.resolve(part + "-images-idx3-ubyte.gz"), true, pixels, n, h, w);
      writeIdx(folder.resolve(part + "-labels-idx1-ubyte"), false, labels, n);
    }
  }

  static Path writeIdx(Path file, boolean gzip, byte[] data, int... dims) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
      out.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
    return file;
  }

  /** Records first..first+count-1; record r has label r % 3 and planes r, r+100, r+200. */
  static void writeCifar(Path file, int first, int count) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int r = first; r < first + count; r++) {
        out.write(r % 3);
        for (int c = 0; c < 3; c++) {
          byte[] plane = new byte[1024];
          java.util.Arrays.fill(plane, (byte) (r + 100 * c));
          out.write(plane);
        }
      }
    }
  }
}
