package io.deeptrain.generative;

import io.deeptrain.dataset.ImageCodec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Images as a person looks at them: a batch [n, c, h, w] with pixels in [0, 1] as PNG. */
public final class ImageGrids {

  /** Mid-grey pixels between tiles. */
  public static final int GAP = 2;

  private ImageGrids() {}

  /** One image [c, h, w] or [1, c, h, w] as PNG. */
  public static byte[] png(INDArray image) {
    INDArray one = image.rank() == 4 ? image.get(NDArrayIndex.point(0)) : image;
    long[] shape = one.shape();
    return ImageCodec.encodePng(bytes(one), (int) shape[0], (int) shape[1], (int) shape[2]);
  }

  /** The batch as a PNG grid of {@code columns} tiles per row. */
  public static byte[] grid(INDArray images, int columns) {
    long[] shape = images.shape();
    int c = (int) shape[1];
    int h = (int) shape[2];
    int w = (int) shape[3];
    List<byte[]> tiles = new ArrayList<>();
    for (int i = 0; i < shape[0]; i++) {
      tiles.add(bytes(images.get(NDArrayIndex.point(i))));
    }
    int cols = Math.max(1, Math.min(columns, tiles.size()));
    int rows = (tiles.size() + cols - 1) / cols;
    return ImageCodec.encodePng(
        ImageCodec.grid(tiles, c, h, w, cols, GAP),
        c,
        ImageCodec.gridSize(rows, h, GAP),
        ImageCodec.gridSize(cols, w, GAP));
  }

  /** The batch as one row (an interpolation or a denoising trajectory). */
  public static byte[] strip(INDArray images) {
    return grid(images, (int) images.size(0));
  }

  /** A near-square grid: 64 images as 8 x 8. */
  public static byte[] squareGrid(INDArray images) {
    return grid(images, (int) Math.ceil(Math.sqrt(images.size(0))));
  }

  /** One image [c, h, w] with pixels in [0, 1] as uint8 CHW, clamped and rounded. */
  public static byte[] bytes(INDArray chw) {
    float[] v = chw.dup('c').data().asFloat();
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      float x = Float.isNaN(v[i]) ? 0f : Math.max(0f, Math.min(1f, v[i]));
      out[i] = (byte) Math.round(x * 255f);
    }
    return out;
  }
}
