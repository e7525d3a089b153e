package io.deeptrain.compute;

import io.deeptrain.compute.BackendInfo.Backend;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * The CPU backend's single device, the machine. ND4J allocates its arrays off-heap through JavaCPP,
 * which refuses allocations beyond {@code maxBytes} (-Dorg.bytedeco.javacpp.maxbytes, by default
 * the JVM's max heap): that limit, not the machine's RAM, is what a job can use.
 */
final class CpuDevices implements DeviceInventory {

  @Override
  public Backend backend() {
    return Backend.CPU;
  }

  @Override
  public List<Device> devices() {
    long max = Pointer.maxBytes();
    long used = Pointer.totalBytes();
    String name =
        "%s (%d cores)"
            .formatted(System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
    return List.of(new Device(0, Device.Kind.CPU, name, max, Math.max(0, max - used)));
  }
}
