package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GAN's generator ({@link GanGraph#sampler}) serving samples: N(0, I) noise drawn from the seed,
 * through the generator with its running batch-norm statistics, so a sample does not depend on what
 * else is in its batch.
 */
final class GanModel implements GenerativeModel {

  /** Images per forward pass; bounds activation memory. */
  private static final int CHUNK = 256;

  private final ModelVersion version;
  private final List<Integer> imageShape;
  private final int latentSize;
  private final SameDiff sampler;

  GanModel(ModelVersion version, List<Integer> imageShape, int latentSize, SameDiff sampler) {
    this.version = version;
    this.imageShape = List.copyOf(imageShape);
    this.latentSize = latentSize;
    this.sampler = sampler;
  }

  @Override
  public ModelVersion version() {
    return version;
  }

  @Override
  public List<Integer> imageShape() {
    return imageShape;
  }

  @Override
  public synchronized INDArray generate(int n, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    try (INDArray z = noise(n, latentSize, new Random(seed))) {
      return generateFrom(z);
    }
  }

  /** Images [n, c, h, w] from the given noise [n, latent]. The caller closes the array. */
  synchronized INDArray generateFrom(INDArray noise) {
    long n = noise.size(0);
    INDArray out =
        Nd4j.create(noise.dataType(), n, imageShape.get(0), imageShape.get(1), imageShape.get(2));
    for (long start = 0; start < n; start += CHUNK) {
      long end = Math.min(n, start + CHUNK);
      INDArray chunk = noise.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end));
      INDArray images =
          sampler
              .output(Map.of(GanGraph.NOISE, chunk.dup()), GanGraph.SAMPLES)
              .get(GanGraph.SAMPLES);
      out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end)).assign(images);
      images.close();
    }
    return out;
  }

  /** {@code n} rows of N(0, I) noise drawn from {@code random}. */
  static INDArray noise(int n, int latentSize, Random random) {
    float[] z = new float[n * latentSize];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) random.nextGaussian();
    }
    return Nd4j.create(z, new long[] {n, latentSize}, 'c');
  }
}
