package io.deeptrain.compute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Without these helpers the CPU backend trains CNNs about 5x slower, and nothing else says so. */
class OneDnnHelpersTests {

  @BeforeAll
  static void enableHelpersTheWayTheServiceDoes() {
    OneDnn.enableLayerHelpers();
  }

  @Test
  void shouldReportOneDnnOnForTheCpuBackend() {
    assertThat(OneDnn.layerHelpersEnabled()).isTrue();
    assertThat(OneDnn.enabled()).as("BaseMKLDNNHelper.mklDnnEnabled()").isTrue();
  }

  @Test
  void shouldAttachOneDnnHelpersToConvolutionPoolingAndBatchNorm() {
    assertThat(OneDnn.probeAttachedHelpers())
        .containsExactly("MKLDNNConvHelper", "MKLDNNSubsamplingHelper", "MKLDNNBatchNormHelper");
  }
}
