package io.deeptrain.model;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Continues a prompt with a character-level language model, one character per step through the
 * network's stored RNN state. Sampling draws from {@link Random} with the given seed, so the same
 * model, prompt and seed always give the same text.
 */
public final class TextGenerator {

  private TextGenerator() {}

  /**
   * @param prompt indices into the vocabulary, at least one
   * @param temperature below 1 sharpens the distribution, above 1 flattens it; > 0
   * @param topK sample among the k most probable characters only; null for all
   * @return the generated characters, without the prompt
   */
  public static String complete(
      MultiLayerNetwork net,
      List<String> vocabulary,
      int[] prompt,
      int length,
      double temperature,
      Integer topK,
      long seed) {
    int v = vocabulary.size();
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder();
    // rnnTimeStep keeps state in the network: callers serialise access to one network.
    net.rnnClearPreviousState();
    try {
      float[] probabilities;
      try (INDArray x = oneHot(prompt, v);
          INDArray y = net.rnnTimeStep(x)) {
        probabilities = lastStep(y);
      }
      for (int i = 0; i < length; i++) {
        int next = sample(probabilities, temperature, topK, random);
        out.append(vocabulary.get(next));
        try (INDArray x = oneHot(new int[] {next}, v);
            INDArray y = net.rnnTimeStep(x)) {
          probabilities = lastStep(y);
        }
      }
    } finally {
      net.rnnClearPreviousState();
    }
    return out.toString();
  }

  /** One sequence [1, vocabulary, steps], DL4J's recurrent layout. */
  public static INDArray oneHot(int[] codes, int vocabulary) {
    float[] data = new float[vocabulary * codes.length];
    for (int t = 0; t < codes.length; t++) {
      data[codes[t] * codes.length + t] = 1f;
    }
    return Nd4j.create(data, new long[] {1, vocabulary, codes.length}, 'c');
  }

  private static float[] lastStep(INDArray y) {
    INDArray out =
        y.rank() == 3
            ? y.get(
                org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(y.size(2) - 1))
            : y.getRow(0);
    return out.castTo(DataType.FLOAT).toFloatVector();
  }

  static int sample(float[] p, double temperature, Integer topK, Random random) {
    int n = p.length;
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = Math.exp(Math.log(Math.max(p[i], 1e-30)) / temperature);
    }
    if (topK != null && topK < n) {
      double[] sorted = w.clone();
      Arrays.sort(sorted);
      double cut = sorted[n - topK];
      int kept = 0;
      for (int i = 0; i < n; i++) {
        // Ties at the cut keep the lowest indices only, so exactly k remain.
        if (w[i] > cut || (w[i] == cut && kept < topK)) {
          kept++;
        } else {
          w[i] = 0;
        }
      }
    }
    double total = 0;
    for (double x : w) {
      total += x;
    }
    double r = random.nextDouble() * total;
    for (int i = 0; i < n; i++) {
      r -= w[i];
      if (r <= 0 && w[i] > 0) {
        return i;
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      if (w[i] > 0) {
        return i;
      }
    }
    return 0;
  }
}
