package io.deeptrain.compute;

import java.util.List;

/**
 * What the service computes on, as found at startup.
 *
 * @param backend the ND4J backend loaded
 * @param blasVendor BLAS library behind the backend (OPENBLAS, MKL, CUBLAS, ...)
 * @param oneDnn whether DL4J's oneDNN layer helpers are usable (always false on CUDA)
 * @param layerHelpers simple class names of the helpers that attached to the probe network's
 *     convolution, pooling and batch-norm layers; empty means those layers run the slow built-in
 *     code
 * @param threads native threads per call after {@code deeptrain.compute.threads} was applied
 * @param cores cores the JVM sees
 */
public record BackendInfo(
    Backend backend,
    String blasVendor,
    boolean oneDnn,
    List<String> layerHelpers,
    int threads,
    int cores) {

  public BackendInfo {
    layerHelpers = List.copyOf(layerHelpers);
  }

  public enum Backend {
    CPU,
    CUDA
  }

  String summary() {
    return "backend=%s blas=%s oneDNN=%s helpers=%s threads=%d cores=%d"
        .formatted(
            backend,
            blasVendor,
            oneDnn ? "on" : "off",
            layerHelpers.isEmpty() ? "none" : String.join(",", layerHelpers),
            threads,
            cores);
  }
}
