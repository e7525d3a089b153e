package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.VaeSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A trained VAE: encodes images to their mean code, decodes codes to images, generates from N(0, I)
 * codes and inpaints by optimising a code against the known pixels. Holds one SameDiff graph, so
 * every call synchronizes on the model.
 */
public final class VaeModel implements GenerativeModel, Inpainter {

  /** Codes optimised at once when inpainting: the encoder's code and perturbations of it. */
  static final int INPAINT_RESTARTS = 4;

  /** Adam steps on the codes when inpainting. */
  static final int INPAINT_STEPS = 150;

  static final double INPAINT_LEARNING_RATE = 0.05;

  /** Spread of the restarts around the encoder's code. */
  static final double RESTART_SPREAD = 0.5;

  private static final int BATCH = 256;

  private final ModelVersion version;
  private final VaeSpec spec;
  private final List<Integer> imageShape;
  private final SameDiff graph;

  VaeModel(ModelVersion version, VaeSpec spec, List<Integer> imageShape, SameDiff graph) {
    this.version = version;
    this.spec = spec;
    this.imageShape = List.copyOf(imageShape);
    this.graph = graph;
    // Inference only: the one gradient this graph computes is inpainting's, w.r.t. the code.
    graph.setLossVariables(VaeGraph.INPAINT_LOSS);
  }

  /** A model from a registered (or just trained) artifact. */
  static VaeModel load(
      ModelVersion version, VaeSpec spec, List<Integer> imageShape, byte[] artifact) {
    return new VaeModel(version, spec, imageShape, SameDiffArtifacts.load(artifact, false));
  }

  @Override
  public ModelVersion version() {
    return version;
  }

  @Override
  public List<Integer> imageShape() {
    return imageShape;
  }

  public VaeSpec spec() {
    return spec;
  }

  public int latentSize() {
    return spec.latentSizeOrDefault();
  }

  /** The mean codes [n, latent] of images [n, c, h, w] in [0, 1]. The caller closes the array. */
  public synchronized INDArray encode(INDArray images) {
    return batched(images, VaeGraph.INPUT, VaeGraph.MEAN);
  }

  /** Images [n, c, h, w] in [0, 1] decoded from codes [n, latent]. The caller closes the array. */
  public synchronized INDArray decode(INDArray codes) {
    return batched(codes, VaeGraph.CODE, VaeGraph.DECODED);
  }

  /** Each image decoded from its mean code. The caller closes the array. */
  public synchronized INDArray reconstruct(INDArray images) {
    try (INDArray codes = encode(images)) {
      return decode(codes);
    }
  }

  @Override
  public synchronized INDArray generate(int n, long seed) {
    try (INDArray codes = VaeGraph.normal(new Random(seed), n, latentSize())) {
      return decode(codes);
    }
  }

  /**
   * Finds codes whose decoded images match the known pixels (reconstruction error on those pixels
   * plus |z|^2 / 2, the prior's negative log-density): Adam on {@link #INPAINT_RESTARTS} codes at
   * once, the first the encoder's code of the image with its erased pixels set to the known pixels'
   * mean, the others that code plus seeded noise. The best code fills the erased pixels.
   */
  @Override
  public synchronized INDArray inpaint(INDArray image, INDArray known, long seed) {
    VaeGraph.freshArrays(graph);
    INDArray target = image.reshape(1, imageShape.get(0), imageShape.get(1), imageShape.get(2));
    INDArray mask = known.reshape(target.shape()).castTo(DataType.FLOAT);
    double knownCount = mask.sumNumber().doubleValue();
    double fill = knownCount > 0 ? target.mul(mask).sumNumber().doubleValue() / knownCount : 0.5;
    INDArray masked = target.mul(mask).add(mask.rsub(1.0).mul(fill));
    int d = latentSize();
    INDArray start;
    try (INDArray encoded = encode(masked)) {
      start = encoded.reshape(1, d).repeat(0, INPAINT_RESTARTS);
    }
    INDArray perturbation =
        VaeGraph.normal(new Random(seed), INPAINT_RESTARTS, d).muli(RESTART_SPREAD);
    perturbation.getRow(0).assign(0);
    INDArray z = start.add(perturbation);
    INDArray targets = target.repeat(0, INPAINT_RESTARTS);
    INDArray masks = mask.repeat(0, INPAINT_RESTARTS);
    INDArray m = Nd4j.zeros(DataType.FLOAT, INPAINT_RESTARTS, d);
    INDArray v = Nd4j.zeros(DataType.FLOAT, INPAINT_RESTARTS, d);
    double beta1 = 0.9;
    double beta2 = 0.999;
    Map<String, INDArray> feed = new HashMap<>();
    feed.put(VaeGraph.TARGET, targets);
    feed.put(VaeGraph.KNOWN, masks);
    for (int t = 1; t <= INPAINT_STEPS; t++) {
      // A fresh array per call: the graph's session must not see a code change under it.
      feed.put(VaeGraph.CODE, z.dup());
      INDArray g = graph.calculateGradients(feed, VaeGraph.CODE).get(VaeGraph.CODE);
      m.muli(beta1).addi(g.mul(1 - beta1));
      v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
      double step =
          INPAINT_LEARNING_RATE * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
      z.subi(m.div(Nd4j.math().sqrt(v).addi(1e-8)).muli(step));
    }
    feed.put(VaeGraph.CODE, z.dup());
    Map<String, INDArray> out = graph.output(feed, VaeGraph.INPAINT_ERROR, VaeGraph.DECODED);
    int best = out.get(VaeGraph.INPAINT_ERROR).neg().argMax().getInt(0);
    INDArray completed = out.get(VaeGraph.DECODED).get(NDArrayIndex.interval(best, best + 1));
    return target.mul(mask).addi(completed.mul(mask.rsub(1.0)));
  }

  /** {@code input}'s rows fed to {@code placeholder} a batch at a time, {@code output} stacked. */
  private INDArray batched(INDArray input, String placeholder, String output) {
    VaeGraph.freshArrays(graph);
    long n = input.size(0);
    if (n <= BATCH) {
      return graph.output(Map.of(placeholder, input), output).get(output).dup();
    }
    INDArray[] parts = new INDArray[(int) ((n + BATCH - 1) / BATCH)];
    for (int i = 0; i < parts.length; i++) {
      long from = (long) i * BATCH;
      INDArray rows = input.get(NDArrayIndex.interval(from, Math.min(n, from + BATCH)));
      parts[i] = graph.output(Map.of(placeholder, rows), output).get(output).dup();
    }
    return Nd4j.concat(0, parts);
  }
}
