package io.deeptrain.dataset;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads CIFAR-10 binary batches: records of one label byte and 3072 pixel bytes, already planar
 * (1024 red, 1024 green, 1024 blue, each row-major 32x32), i.e. exactly CHW.
 */
final class CifarReader {

  static final int CHANNELS = 3;
  static final int SIDE = 32;
  static final int IMAGE = CHANNELS * SIDE * SIDE;
  static final int RECORD = 1 + IMAGE;

  private CifarReader() {}

  /** Records in a batch file, from its size alone. */
  static int records(Path batch) {
    try {
      long size = Files.size(batch);
      if (size == 0 || size % RECORD != 0) {
        throw new DatasetFormatException(
            "%s: %d bytes is not a whole number of %d-byte CIFAR records"
                .formatted(batch, size, RECORD));
      }
      return (int) (size / RECORD);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the batches in order into one block. */
  static ImageBlock read(List<Path> batches) {
    int total = 0;
    for (Path batch : batches) {
      total += records(batch);
    }
    byte[] pixels = new byte[total * IMAGE];
    int[] labels = new int[total];
    int n = 0;
    for (Path batch : batches) {
      int count = records(batch);
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(batch), 1 << 16))) {
        for (int i = 0; i < count; i++, n++) {
          labels[n] = in.readUnsignedByte();
          in.readFully(pixels, n * IMAGE, IMAGE);
        }
      } catch (EOFException e) {
        throw new DatasetFormatException(batch + ": truncated CIFAR batch");
      } catch (IOException e) {
        throw new DatasetFormatException(batch + ": cannot read: " + e.getMessage());
      }
    }
    return new ImageBlock(pixels, labels, CHANNELS, SIDE, SIDE);
  }

  /** Class names from {@code batches.meta.txt}, one a line, or null when absent. */
  static List<String> classNames(Path folder) {
    Path meta = folder.resolve("batches.meta.txt");
    if (!Files.isRegularFile(meta)) {
      return null;
    }
    try {
      return Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
