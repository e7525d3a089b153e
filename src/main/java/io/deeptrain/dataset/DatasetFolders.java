package io.deeptrain.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds image datasets in folders: MNIST-style IDX quadruples and CIFAR-10 binary batches. Listing
 * reads headers, file sizes and the small label files only; pixels are read on first open.
 */
final class DatasetFolders {

  private static final Logger log = LoggerFactory.getLogger(DatasetFolders.class);

  static final List<String> FASHION_CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** The IDX quadruple, by role, without the ".gz" a file may carry. */
  static final List<String> IDX_FILES =
      List.of(
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte");

  static final List<String> CIFAR_TRAIN =
      IntStream.rangeClosed(1, 5).mapToObj(i -> "data_batch_" + i + ".bin").toList();
  static final String CIFAR_TEST = "test_batch.bin";

  /**
   * A dataset found in a folder, with the loader of its pixels and its files in reading order (what
   * its content hash covers).
   */
  record Found(DatasetInfo info, Supplier<ImageData> loader, List<Path> files) {}

  private DatasetFolders() {}

  /** Every dataset in the sub-folders of {@code dirs}; a name seen twice keeps its first folder. */
  static List<Found> scan(List<Path> dirs) {
    List<Found> found = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> folders;
      try (Stream<Path> s = Files.list(dir)) {
        folders = s.filter(Files::isDirectory).sorted().toList();
      } catch (IOException e) {
        log.warn("Cannot list dataset folder {}: {}", dir, e.getMessage());
        continue;
      }
      for (Path folder : folders) {
        String name = nameOf(folder);
        if (!DatasetNames.PATTERN.matcher(name).matches() || names.contains(name)) {
          continue;
        }
        try {
          Found f = idx(name, folder);
          if (f == null) {
            f = cifar(name, folder);
          }
          if (f != null) {
            names.add(name);
            found.add(f);
          }
        } catch (DatasetFormatException | UncheckedIOException e) {
          // One bad folder must not hide the others or stop the service.
          log.warn("Skipping dataset folder {}: {}", folder, e.getMessage());
        }
      }
    }
    return found;
  }

  static String nameOf(Path folder) {
    String name = folder.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith("-batches-bin")
        ? name.substring(0, name.length() - "-batches-bin".length())
        : name;
  }

  /** The file of an IDX role in a folder: gzipped or raw, "-idx3" or ".idx3" spelling. */
  static Path idxFile(Path folder, String role) {
    String dotted = role.replaceFirst("-idx", ".idx");
    for (String base : List.of(role, dotted)) {
      for (String suffix : List.of(".gz", "")) {
        Path p = folder.resolve(base + suffix);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  static Found idx(String name, Path folder) {
    List<Path> files = new ArrayList<>();
    for (String role : IDX_FILES) {
      Path p = idxFile(folder, role);
      if (p == null) {
        return null;
      }
      files.add(p);
    }
    int[] trainImages = IdxReader.dimensions(files.get(0));
    int[] testImages = IdxReader.dimensions(files.get(2));
    if (trainImages.length != 3 || testImages.length != 3) {
      throw new DatasetFormatException(folder + ": image files must have 3 dimensions [n, h, w]");
    }
    if (trainImages[1] != testImages[1] || trainImages[2] != testImages[2]) {
      throw new DatasetFormatException(folder + ": train and test images differ in size");
    }
    byte[] trainLabels = labels(files.get(1), trainImages[0]);
    byte[] testLabels = labels(files.get(3), testImages[0]);
    int maxLabel = 0;
    for (byte[] ls : List.of(trainLabels, testLabels)) {
      for (byte l : ls) {
        maxLabel = Math.max(maxLabel, l & 0xff);
      }
    }
    List<String> classes = classes(name, folder, Math.max(10, maxLabel + 1));
    if (maxLabel >= classes.size()) {
      throw new DatasetFormatException(
          "%s: label %d but only %d class names".formatted(folder, maxLabel, classes.size()));
    }
    int h = trainImages[1];
    int w = trainImages[2];
    int train = trainImages[0];
    int test = testImages[0];
    DatasetInfo info =
        new DatasetInfo(
            name,
            DatasetInfo.IMAGE,
            List.of(1, h, w),
            List.of(),
            classes,
            train + test,
            train,
            test,
            "folder: " + folder.toAbsolutePath().normalize(),
            "%d grayscale %dx%d images in %d classes, IDX files; fixed split of %d train and %d test images (a job's testFraction is ignored)"
                .formatted(train + test, h, w, classes.size(), train, test),
            true,
            counts(trainLabels, classes.size()),
            counts(testLabels, classes.size()));
    Supplier<ImageData> loader =
        () -> {
          byte[] pixels = new byte[(train + test) * h * w];
          IdxReader.readInto(files.get(0), pixels, 0);
          IdxReader.readInto(files.get(2), pixels, train * h * w);
          // Re-read the labels rather than keeping them: listing stays small for unused datasets.
          int[] labels = new int[train + test];
          byte[] tl = IdxReader.readAll(files.get(1));
          byte[] sl = IdxReader.readAll(files.get(3));
          for (int i = 0; i < train; i++) {
            labels[i] = tl[i] & 0xff;
          }
          for (int i = 0; i < test; i++) {
            labels[train + i] = sl[i] & 0xff;
          }
          return fixed(new ImageBlock(pixels, labels, 1, h, w), train);
        };
    return new Found(info, loader, List.copyOf(files));
  }

  static Found cifar(String name, Path folder) {
    List<Path> train =
        CIFAR_TRAIN.stream().map(folder::resolve).filter(Files::isRegularFile).toList();
    Path testFile = folder.resolve(CIFAR_TEST);
    if (train.isEmpty() || !Files.isRegularFile(testFile)) {
      return null;
    }
    int trainRows = train.stream().mapToInt(CifarReader::records).sum();
    int testRows = CifarReader.records(testFile);
    List<String> classes = CifarReader.classNames(folder);
    if (classes == null) {
      classes = digits(10);
    }
    DatasetInfo info =
        new DatasetInfo(
            name,
            DatasetInfo.IMAGE,
            List.of(CifarReader.CHANNELS, CifarReader.SIDE, CifarReader.SIDE),
            List.of(),
            classes,
            trainRows + testRows,
            trainRows,
            testRows,
            "folder: " + folder.toAbsolutePath().normalize(),
            "%d RGB 32x32 images in %d classes, CIFAR-10 binary batches; fixed split of %d train and %d test images (a job's testFraction is ignored)"
                .formatted(trainRows + testRows, classes.size(), trainRows, testRows),
            true,
            null,
            null);
    int classCount = classes.size();
    Supplier<ImageData> loader =
        () -> {
          List<Path> all = new ArrayList<>(train);
          all.add(testFile);
          ImageBlock block = CifarReader.read(all);
          for (int label : block.labels()) {
            if (label >= classCount) {
              throw new DatasetFormatException(
                  "%s: label %d but only %d class names".formatted(folder, label, classCount));
            }
          }
          return fixed(block, trainRows);
        };
    List<Path> files = new ArrayList<>(train);
    files.add(testFile);
    return new Found(info, loader, List.copyOf(files));
  }

  private static ImageData fixed(ImageBlock block, int train) {
    return new ImageData(
        block, IntStream.range(0, train).toArray(), IntStream.range(train, block.size()).toArray());
  }

  private static byte[] labels(Path file, int expected) {
    int[] dims = IdxReader.dimensions(file);
    if (dims.length != 1 || dims[0] != expected) {
      throw new DatasetFormatException(
          "%s: expected %d labels, the header says %s"
              .formatted(file, expected, java.util.Arrays.toString(dims)));
    }
    return IdxReader.readAll(file);
  }

  /** classes.txt if present, else the known names, else "0".."n-1". */
  private static List<String> classes(String name, Path folder, int count) {
    Path txt = folder.resolve("classes.txt");
    if (Files.isRegularFile(txt)) {
      try {
        return Files.readAllLines(txt, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (name.equals("fashion-mnist")) {
      return FASHION_CLASSES;
    }
    return digits(count);
  }

  static List<String> digits(int count) {
    return IntStream.range(0, count).mapToObj(Integer::toString).toList();
  }

  static List<Integer> counts(byte[] labels, int classes) {
    int[] counts = new int[classes];
    for (byte l : labels) {
      counts[l & 0xff]++;
    }
    return IntStream.of(counts).boxed().toList();
  }
}
