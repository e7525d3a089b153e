package io.deeptrain.generative;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How different a batch of images are from one another: the mean Euclidean distance over all pairs.
 * A GAN whose generator has collapsed to a few modes produces batches far less diverse than the
 * data; the ratio of the two figures is the job's {@code sample_diversity}.
 */
final class SampleDiversity {

  /**
   * Below this fraction of the data's diversity a job warns of mode collapse. Measured on
   * Fashion-MNIST: a batch of one class alone keeps 0.59 (trousers) to 0.97 (bags) of the whole
   * set's figure, and dense GANs measured 0.38 to 0.78 in their first epochs while still learning
   * (blurry, speckled samples); a generator repeating a few near-identical images falls far below.
   * 0.3 leaves room for both without warning on a healthy run.
   */
  static final double COLLAPSE_RATIO = 0.3;

  private SampleDiversity() {}

  /** Mean distance between the distinct pairs of {@code images} [n, ...], n >= 2. */
  static double meanPairwiseDistance(INDArray images) {
    long n = images.size(0);
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 images, got " + n);
    }
    try (INDArray x = images.reshape('c', n, images.length() / n).castTo(DataType.DOUBLE);
        INDArray gram = x.mmul(x.transpose())) {
      double[][] g = gram.toDoubleMatrix();
      double sum = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          sum += Math.sqrt(Math.max(0, g[i][i] + g[j][j] - 2 * g[i][j]));
        }
      }
      return sum / (n * (n - 1) / 2.0);
    }
  }

  /** {@code generated}'s diversity as a fraction of {@code real}'s. */
  static double ratio(INDArray generated, INDArray real) {
    double data = meanPairwiseDistance(real);
    return data == 0 ? 1 : meanPairwiseDistance(generated) / data;
  }

  /** The warning a person reads when {@code ratio} is under {@link #COLLAPSE_RATIO}. */
  static String collapseWarning(int epoch, double generated, double real) {
    return String.format(
        "possible mode collapse at epoch %d: generated samples are %.3f apart on average, the"
            + " training images %.3f (ratio %.2f, under %.2f); the generator is producing few"
            + " distinct images. Try a lower generator learningRate, labelSmoothing 0.1 to 0.2,"
            + " or more discriminatorSteps",
        epoch, generated, real, generated / real, COLLAPSE_RATIO);
  }
}
