package io.deeptrain.dataset;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * PNG/JPEG in and out as uint8 CHW arrays, the layout datasets store and models read: used by
 * dataset uploads and previews, and by inference to classify uploaded images the same way.
 *
 * <p>Pixels are read through sRGB (a grayscale PNG keeps its stored values); grayscale is the luma
 * 0.299 R + 0.587 G + 0.114 B; transparent pixels are composited on black, the background of the
 * MNIST family.
 */
public final class ImageCodec {

  /** Larger images are refused before decoding, so one upload cannot exhaust the heap. */
  public static final long MAX_PIXELS = 4096L * 4096L;

  private ImageCodec() {}

  /**
   * Decodes PNG or JPEG bytes.
   *
   * @throws ImageDecodeException if the bytes are no readable image or the image is too large
   */
  public static BufferedImage read(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new ImageDecodeException("not a PNG or JPEG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new ImageDecodeException(
              "%dx%d pixels is larger than the %d allowed"
                  .formatted(reader.getWidth(0), reader.getHeight(0), MAX_PIXELS));
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageDecodeException d) {
        throw d;
      }
      // ImageIO reports a broken file with IOException or, for some codecs, runtime exceptions.
      throw new ImageDecodeException("cannot be decoded: " + e.getMessage());
    }
  }

  /** 1 for a grayscale image, 3 otherwise: the channel count an upload keeps by default. */
  public static int naturalChannels(BufferedImage image) {
    return image.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
  }

  /** Decodes and converts in one step; see {@link #toChw}. */
  public static byte[] decode(byte[] bytes, int channels, int height, int width) {
    return toChw(read(bytes), channels, height, width);
  }

  /**
   * The image as uint8 CHW with the given channels (1 or 3), resized bilinearly when its size
   * differs.
   */
  public static byte[] toChw(BufferedImage image, int channels, int height, int width) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    BufferedImage rgb = toRgb(image);
    if (rgb.getWidth() != width || rgb.getHeight() != height) {
      BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = scaled.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(rgb, 0, 0, width, height, null);
      g.dispose();
      rgb = scaled;
    }
    int plane = height * width;
    byte[] out = new byte[channels * plane];
    int[] argb = rgb.getRGB(0, 0, width, height, null, 0, width);
    for (int i = 0; i < plane; i++) {
      int r = (argb[i] >> 16) & 0xff;
      int g = (argb[i] >> 8) & 0xff;
      int b = argb[i] & 0xff;
      if (channels == 1) {
        out[i] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      } else {
        out[i] = (byte) r;
        out[plane + i] = (byte) g;
        out[2 * plane + i] = (byte) b;
      }
    }
    return out;
  }

  /** Encodes a uint8 CHW image (1 or 3 channels) as PNG. */
  public static byte[] encodePng(byte[] chw, int channels, int height, int width) {
    int plane = height * width;
    if (chw.length != channels * plane) {
      throw new IllegalArgumentException(
          "%d bytes are not a %dx%dx%d image".formatted(chw.length, channels, height, width));
    }
    BufferedImage image;
    if (channels == 1) {
      image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
      image.getRaster().setDataElements(0, 0, width, height, chw);
    } else if (channels == 3) {
      image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      int[] argb = new int[plane];
      for (int i = 0; i < plane; i++) {
        argb[i] =
            (chw[i] & 0xff) << 16 | (chw[plane + i] & 0xff) << 8 | (chw[2 * plane + i] & 0xff);
      }
      image.setRGB(0, 0, width, height, argb, 0, width);
    } else {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Lays equally sized CHW images out in rows of {@code columns}, separated and framed by a {@code
   * gap} of mid-grey pixels; returns the grid as CHW of size {@link #gridSize}.
   */
  public static byte[] grid(
      List<byte[]> images, int channels, int height, int width, int columns, int gap) {
    int rows = Math.max(1, (images.size() + columns - 1) / columns);
    int gridHeight = gridSize(rows, height, gap);
    int gridWidth = gridSize(columns, width, gap);
    int plane = gridHeight * gridWidth;
    byte[] out = new byte[channels * plane];
    java.util.Arrays.fill(out, (byte) 128);
    for (int n = 0; n < images.size(); n++) {
      byte[] image = images.get(n);
      int top = gap + (n / columns) * (height + gap);
      int left = gap + (n % columns) * (width + gap);
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          System.arraycopy(
              image,
              c * height * width + y * width,
              out,
              c * plane + (top + y) * gridWidth + left,
              width);
        }
      }
    }
    return out;
  }

  /** Pixels along one side of a grid of {@code count} tiles of {@code tile} pixels. */
  public static int gridSize(int count, int tile, int gap) {
    return count * (tile + gap) + gap;
  }

  private static BufferedImage toRgb(BufferedImage image) {
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY
        || (image.getRaster().getNumBands() == 1
            && image.getColorModel().getNumColorComponents() == 1
            && image.getSampleModel().getSampleSize(0) == 8)) {
      // Java2D would treat gray as linear and brighten it on the way to sRGB; copy the stored
      // values as they are instead.
      Raster raster = image.getRaster();
      WritableRaster target = rgb.getRaster();
      int[] row = new int[image.getWidth()];
      int[] rgbRow = new int[image.getWidth() * 3];
      for (int y = 0; y < image.getHeight(); y++) {
        raster.getSamples(0, y, image.getWidth(), 1, 0, row);
        for (int x = 0; x < row.length; x++) {
          rgbRow[3 * x] = row[x];
          rgbRow[3 * x + 1] = row[x];
          rgbRow[3 * x + 2] = row[x];
        }
        target.setPixels(0, y, image.getWidth(), 1, rgbRow);
      }
      return rgb;
    }
    Graphics2D g = rgb.createGraphics();
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return rgb;
  }
}
