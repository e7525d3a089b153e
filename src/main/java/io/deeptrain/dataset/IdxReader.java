package io.deeptrain.dataset;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST family's format: magic 0x0000 08 rank, big-endian dimensions, then
 * unsigned bytes), gzipped or raw. Only the uint8 type is accepted since that is what image and
 * label files use.
 */
final class IdxReader {

  private static final int UBYTE = 0x08;

  private IdxReader() {}

  /** The dimensions of an IDX file, reading only its header. */
  static int[] dimensions(Path file) {
    try (DataInputStream in = open(file)) {
      return header(file, in);
    } catch (IOException e) {
      throw new DatasetFormatException(file + ": cannot read the IDX header: " + e.getMessage());
    }
  }

  /** Reads the whole data part into {@code target} at {@code offset}; returns the dimensions. */
  static int[] readInto(Path file, byte[] target, int offset) {
    try (DataInputStream in = open(file)) {
      int[] dims = header(file, in);
      long size = 1;
      for (int d : dims) {
        size *= d;
      }
      if (offset + size > target.length) {
        throw new DatasetFormatException(
            "%s: %d bytes of data do not fit the %d expected"
                .formatted(file, size, target.length - offset));
      }
      in.readFully(target, offset, (int) size);
      return dims;
    } catch (EOFException e) {
      throw new DatasetFormatException(file + ": truncated, it ends before its header says");
    } catch (IOException e) {
      throw new DatasetFormatException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** The whole data part of a (small) file, such as a labels file. */
  static byte[] readAll(Path file) {
    int[] dims = dimensions(file);
    long size = 1;
    for (int d : dims) {
      size *= d;
    }
    byte[] data = new byte[(int) size];
    readInto(file, data, 0);
    return data;
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    // Detect gzip by its magic rather than the file name: people gunzip and keep names.
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    return new DataInputStream(new BufferedInputStream(in, 1 << 16));
  }

  private static int[] header(Path file, DataInputStream in) throws IOException {
    int magic = in.readInt();
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UBYTE) {
      throw new DatasetFormatException(
          "%s: not an unsigned-byte IDX file (magic 0x%08x)".formatted(file, magic));
    }
    int rank = magic & 0xff;
    if (rank < 1 || rank > 4) {
      throw new DatasetFormatException(file + ": unsupported IDX rank " + rank);
    }
    int[] dims = new int[rank];
    long size = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readInt();
      if (dims[i] < 0) {
        throw new DatasetFormatException(file + ": negative dimension " + dims[i]);
      }
      size *= dims[i];
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new DatasetFormatException(file + ": too large to hold in one array");
    }
    return dims;
  }
}
