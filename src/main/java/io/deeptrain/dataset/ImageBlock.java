package io.deeptrain.dataset;

/**
 * All images of a dataset as one uint8 block, each image CHW as stored, and a class index per
 * image. Loaded once per dataset and shared by every split opened on it; never modified.
 */
final class ImageBlock {

  private final byte[] pixels;
  private final int[] labels;
  private final int channels;
  private final int height;
  private final int width;

  ImageBlock(byte[] pixels, int[] labels, int channels, int height, int width) {
    if ((long) labels.length * channels * height * width != pixels.length) {
      throw new IllegalArgumentException(
          "%d pixels do not hold %d images of %dx%dx%d"
              .formatted(pixels.length, labels.length, channels, height, width));
    }
    this.pixels = pixels;
    this.labels = labels;
    this.channels = channels;
    this.height = height;
    this.width = width;
  }

  byte[] pixels() {
    return pixels;
  }

  int[] labels() {
    return labels;
  }

  int channels() {
    return channels;
  }

  int height() {
    return height;
  }

  int width() {
    return width;
  }

  int imageSize() {
    return channels * height * width;
  }

  int size() {
    return labels.length;
  }

  /** One image's pixels (a copy, CHW). */
  byte[] image(int index) {
    byte[] out = new byte[imageSize()];
    System.arraycopy(pixels, index * imageSize(), out, 0, out.length);
    return out;
  }
}
