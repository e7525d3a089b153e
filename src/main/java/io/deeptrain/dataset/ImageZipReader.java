package io.deeptrain.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads an uploaded zip of class-named folders of PNG/JPEG images ({@code cat/001.png}, or the same
 * under one top folder) into an {@link ImageBlock}, streaming: the zip is never held whole.
 *
 * <p>Fails with {@link UploadProblems} naming the entry at fault: path traversal, an undecodable
 * image, mixed sizes without a declared size, fewer than two classes, too many decoded bytes.
 */
final class ImageZipReader {

  /** A zip entry larger than this is no sensible training image (and may be a zip bomb). */
  static final long MAX_ENTRY_BYTES = 32L << 20;

  /** What the upload declared; null fields are taken from the first image. */
  record Declared(Integer width, Integer height, Integer channels) {}

  /** The result: pixels and the class names their labels index. */
  record Result(ImageBlock block, List<String> classes) {}

  private record Image(String entry, String className, byte[] pixels) {}

  private ImageZipReader() {}

  static Result read(InputStream upload, Declared declared, long maxDecodedBytes) {
    Integer width = declared.width();
    Integer height = declared.height();
    Integer channels = declared.channels();
    boolean sizeDeclared = width != null && height != null;
    List<Image> images = new ArrayList<>();
    long decoded = 0;
    int entries = 0;
    try (ZipInputStream zip = new ZipInputStream(upload)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        entries++;
        String path = entry.getName();
        checkSafe(path);
        if (entry.isDirectory() || ignored(path) || !isImage(path)) {
          continue;
        }
        String[] parts = path.split("/");
        if (parts.length < 2) {
          throw UploadProblems.invalid(
              "entry '%s' is not inside a class folder: put each image in a folder named after its class (cat/001.png)"
                  .formatted(path));
        }
        String className = parts[parts.length - 2];
        byte[] bytes = readEntry(zip, path);
        BufferedImage img;
        try {
          img = ImageCodec.read(bytes);
        } catch (ImageDecodeException e) {
          throw UploadProblems.invalid("image '%s' %s".formatted(path, e.getMessage()));
        }
        if (channels == null) {
          channels = ImageCodec.naturalChannels(img);
        }
        if (!sizeDeclared) {
          if (width == null) {
            width = img.getWidth();
            height = img.getHeight();
          } else if (img.getWidth() != width || img.getHeight() != height) {
            throw UploadProblems.invalid(
                "mixed sizes: '%s' is %dx%d but earlier images are %dx%d; declare width and height to resize every image to one size"
                    .formatted(path, img.getWidth(), img.getHeight(), width, height));
          }
        }
        decoded += (long) channels * width * height;
        if (decoded > maxDecodedBytes) {
          throw UploadProblems.tooLarge(
              "the images decode to more than %d MB of pixels, the limit (deeptrain.datasets.max-decoded-size)"
                  .formatted(maxDecodedBytes >> 20));
        }
        images.add(new Image(path, className, ImageCodec.toChw(img, channels, height, width)));
      }
    } catch (ZipException e) {
      throw UploadProblems.invalid("the file is not a readable zip: " + e.getMessage());
    } catch (IOException e) {
      throw UploadProblems.invalid("the zip is corrupt or truncated: " + e.getMessage());
    }
    if (entries == 0) {
      throw UploadProblems.invalid(
          "the file is not a zip or holds no entries: upload a zip of class-named folders of PNG or JPEG images");
    }
    if (images.isEmpty()) {
      throw UploadProblems.invalid("the zip holds no PNG or JPEG images");
    }
    // Sorted class names give the same label order whatever order the zip lists its entries in.
    TreeMap<String, Integer> classIndex = new TreeMap<>();
    images.forEach(i -> classIndex.put(i.className(), 0));
    if (classIndex.size() < 2) {
      throw UploadProblems.invalid(
          "only one class ('%s'): a classifier needs at least two class folders"
              .formatted(classIndex.firstKey()));
    }
    List<String> classes = List.copyOf(classIndex.keySet());
    for (int c = 0; c < classes.size(); c++) {
      classIndex.put(classes.get(c), c);
    }
    int size = channels * height * width;
    byte[] pixels = new byte[images.size() * size];
    int[] labels = new int[images.size()];
    for (int n = 0; n < images.size(); n++) {
      Image image = images.get(n);
      System.arraycopy(image.pixels(), 0, pixels, n * size, size);
      labels[n] = classIndex.get(image.className());
    }
    return new Result(new ImageBlock(pixels, labels, channels, height, width), classes);
  }

  /** Rejects names that would escape a folder if extracted: "../", absolute, drive letters. */
  static void checkSafe(String path) {
    String p = path.replace('\\', '/');
    boolean absolute = p.startsWith("/") || p.matches("^[A-Za-z]:.*");
    boolean parent = false;
    for (String part : p.split("/")) {
      if (part.equals("..")) {
        parent = true;
      }
    }
    if (absolute || parent) {
      throw UploadProblems.invalid(
          "entry '%s' has an unsafe path (absolute or containing '..')".formatted(path));
    }
  }

  private static boolean ignored(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return path.startsWith("__MACOSX/") || name.startsWith(".");
  }

  private static boolean isImage(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.endsWith(".png") || p.endsWith(".jpg") || p.endsWith(".jpeg");
  }

  private static byte[] readEntry(ZipInputStream zip, String path) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = zip.read(buffer)) > 0) {
      total += n;
      if (total > MAX_ENTRY_BYTES) {
        throw UploadProblems.tooLarge(
            "entry '%s' is larger than %d MB".formatted(path, MAX_ENTRY_BYTES >> 20));
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
