package io.deeptrain.dataset;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A split of an image dataset: indices into the shared {@link ImageBlock}, so opening train and
 * test views of a 60k-image dataset copies no pixels. Pixels become floats in [0, 1] per batch.
 */
final class ImageExamples implements Examples {

  private final ImageBlock block;
  private final int[] index;
  private final int[] labels;

  ImageExamples(ImageBlock block, int[] index) {
    this.block = block;
    this.index = index;
    this.labels = new int[index.length];
    for (int i = 0; i < index.length; i++) {
      labels[i] = block.labels()[index[i]];
    }
  }

  /** The shared pixel block, for tests that check nothing was copied. */
  ImageBlock block() {
    return block;
  }

  @Override
  public int size() {
    return index.length;
  }

  @Override
  public List<Integer> shape() {
    return List.of(block.channels(), block.height(), block.width());
  }

  @Override
  public int[] labels() {
    return labels;
  }

  @Override
  public INDArray features(int[] rows) {
    int size = block.imageSize();
    byte[] pixels = block.pixels();
    float[] out = new float[rows.length * size];
    for (int i = 0; i < rows.length; i++) {
      int from = index[rows[i]] * size;
      int to = i * size;
      for (int p = 0; p < size; p++) {
        out[to + p] = (pixels[from + p] & 0xff) / 255f;
      }
    }
    return Nd4j.create(
        out, new long[] {rows.length, block.channels(), block.height(), block.width()}, 'c');
  }
}
