package io.deeptrain.compute;

/** Attaches the calling thread to a device, so the ND4J ops it runs go there. */
@FunctionalInterface
public interface DeviceBinder {

  void bindCurrentThread(int device);

  /**
   * ND4J's affinity manager. M2.1's nd4j-api has no {@code attachThreadToDevice(Thread, int)}:
   * {@code unsafeSetDevice} on the thread itself is the same call (the CUDA affinity manager
   * records the thread's device and switches the CUDA context); on CPU it does nothing.
   */
  static DeviceBinder nd4j() {
    return device -> org.nd4j.linalg.factory.Nd4j.getAffinityManager().unsafeSetDevice(device);
  }
}
