package io.deeptrain.compute;

import io.deeptrain.compute.BackendInfo.Backend;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loads ND4J at startup, applies {@code deeptrain.compute.*}, checks which layer helpers attach and
 * logs the result in one line, so a slow backend shows up in the first seconds of the log rather
 * than as a slow training job.
 */
@Component
public class ComputeBackend {

  private static final Logger log = LoggerFactory.getLogger(ComputeBackend.class);

  private final ComputeProperties properties;
  private final BackendInfo info;

  ComputeBackend(ComputeProperties properties) {
    this.properties = properties;
    long start = System.nanoTime();
    OneDnn.enableLayerHelpers();
    Properties environment = Nd4j.getExecutioner().getEnvironmentInformation();
    Backend backend =
        "CUDA".equalsIgnoreCase(environment.getProperty("backend")) ? Backend.CUDA : Backend.CPU;
    long loaded = System.nanoTime();
    if (properties.threads() > 0) {
      NativeThreads.applyToProcess(properties.threads(), backend);
    }
    this.info =
        new BackendInfo(
            backend,
            String.valueOf(Nd4j.factory().blas().getBlasVendor()),
            backend == Backend.CPU && OneDnn.enabled(),
            OneDnn.probeAttachedHelpers(),
            NativeThreads.current(),
            Runtime.getRuntime().availableProcessors());
    long probed = System.nanoTime();
    requireHelpers(properties, info);
    log.info(
        "Compute: {} (ND4J load {} ms, probe {} ms)",
        info.summary(),
        (loaded - start) / 1_000_000,
        (probed - loaded) / 1_000_000);
  }

  public BackendInfo info() {
    return info;
  }

  /**
   * Applies {@code deeptrain.compute.threads} to the calling thread. OpenMP's thread count is per
   * thread, so a thread that runs ND4J ops and was not made by {@link #threadFactory} calls this
   * first; otherwise it gets ND4J's default (all cores, spin-waiting).
   */
  public void applyThreadsToCurrentThread() {
    if (properties.threads() > 0) {
      NativeThreads.applyToCurrentThread(properties.threads());
    }
  }

  /** Threads for training workers and inference batchers, with the native thread count applied. */
  public ThreadFactory threadFactory(String namePrefix) {
    AtomicInteger count = new AtomicInteger();
    return task ->
        new Thread(
            () -> {
              applyThreadsToCurrentThread();
              task.run();
            },
            namePrefix + count.incrementAndGet());
  }

  static void requireHelpers(ComputeProperties properties, BackendInfo info) {
    if (properties.requireOnednnHelpers()
        && info.backend() == Backend.CPU
        && !(info.oneDnn() && info.layerHelpers().contains("MKLDNNConvHelper"))) {
      throw new IllegalStateException(
          ("deeptrain.compute.require-onednn-helpers is true but no oneDNN convolution helper"
                  + " attached (%s). Check that nd4j-native has the linux-x86_64-onednn"
                  + " classifier, that %s is not set to true, and that"
                  + " org.nd4j.nativeblas.Nd4jCpu is on the classpath; or set"
                  + " deeptrain.compute.require-onednn-helpers=false to run without them.")
              .formatted(info.summary(), OneDnn.HELPERS_DISABLED));
    }
  }
}
