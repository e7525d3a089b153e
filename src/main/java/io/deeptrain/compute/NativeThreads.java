package io.deeptrain.compute;

import io.deeptrain.compute.BackendInfo.Backend;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The native thread count of one ND4J call. ND4J sizes its pools once, from OMP_NUM_THREADS or the
 * core count; this resizes them at run time. Two of them are process-wide (libnd4j's own count and
 * OpenBLAS), but OpenMP's, which libnd4j's loops and oneDNN run on, belongs to each calling thread:
 * set from the main thread it does not reach a worker thread (measured: the worker still ran 2
 * spinning threads). So every thread that trains or infers must call {@link #applyToCurrentThread}.
 */
final class NativeThreads {

  private NativeThreads() {}

  static void applyToProcess(int threads, Backend backend) {
    requirePositive(threads);
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    if (backend == Backend.CPU) {
      Nd4j.factory().blas().setMaxThreads(threads);
    }
    applyToCurrentThread(threads);
  }

  static void applyToCurrentThread(int threads) {
    requirePositive(threads);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
  }

  /** OpenMP's thread count as seen from the calling thread. */
  static int current() {
    return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
  }

  private static void requirePositive(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
  }
}
