package io.deeptrain.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.deeptrain.compute.BackendInfo.Backend;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ComputeBackendTests {

  private static final BackendInfo CPU_WITHOUT_HELPERS =
      new BackendInfo(Backend.CPU, "OPENBLAS", false, List.of(), 1, 2);

  @Test
  void shouldApplyConfiguredThreadsAndReportOneLine() {
    ComputeBackend backend = new ComputeBackend(new ComputeProperties(1, true));

    BackendInfo info = backend.info();
    assertThat(info.backend()).isEqualTo(Backend.CPU);
    assertThat(info.threads()).isEqualTo(1);
    assertThat(NativeThreads.current()).isEqualTo(1);
    assertThat(info.summary())
        .isEqualTo(
            "backend=CPU blas=OPENBLAS oneDNN=on"
                + " helpers=MKLDNNConvHelper,MKLDNNSubsamplingHelper,MKLDNNBatchNormHelper"
                + " threads=1 cores="
                + info.cores());
  }

  @Test
  void shouldApplyThreadsOnThreadsFromItsFactory() throws InterruptedException {
    // OpenMP's count is per thread: setting it at startup alone would not reach worker threads.
    // 3 is nobody's default on this host, so a factory that forgot to apply it would fail here.
    ComputeBackend backend = new ComputeBackend(new ComputeProperties(3, false));
    try {
      AtomicInteger seen = new AtomicInteger();
      Thread worker =
          backend.threadFactory("test-worker-").newThread(() -> seen.set(NativeThreads.current()));
      worker.start();
      worker.join();

      assertThat(worker.getName()).isEqualTo("test-worker-1");
      assertThat(seen).hasValue(3);
    } finally {
      NativeThreads.applyToProcess(1, Backend.CPU);
    }
  }

  @Test
  void shouldFailStartupWhenHelpersAreRequiredButMissingOnCpu() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                ComputeBackend.requireHelpers(new ComputeProperties(1, true), CPU_WITHOUT_HELPERS))
        .withMessageContaining("require-onednn-helpers")
        .withMessageContaining("helpers=none");
  }

  @Test
  void shouldStartWithoutHelpersWhenNotRequired() {
    assertThatNoException()
        .isThrownBy(
            () ->
                ComputeBackend.requireHelpers(
                    new ComputeProperties(1, false), CPU_WITHOUT_HELPERS));
  }

  @Test
  void shouldNotRequireOneDnnOnCuda() {
    BackendInfo cuda =
        new BackendInfo(Backend.CUDA, "CUBLAS", false, List.of("CudnnConvolutionHelper"), 1, 2);

    assertThatNoException()
        .isThrownBy(() -> ComputeBackend.requireHelpers(new ComputeProperties(1, true), cuda));
  }
}
