package io.deeptrain.compute;

import com.sun.management.OperatingSystemMXBean;
import io.deeptrain.compute.BackendInfo.Backend;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * The CPU backend's single device, the machine. libnd4j allocates tensor buffers itself, so
 * JavaCPP's off-heap count ({@code maxBytes}, {@code totalBytes}) never sees them. What binds is
 * JavaCPP's resident-memory limit ({@code -Dorg.bytedeco.javacpp.maxphysicalbytes}, by default 4x
 * maxBytes), checked each time ND4J registers a pointer, and the machine's (or container's) RAM.
 * The heap lives inside that resident memory, so jobs get the limit less the maximum heap.
 */
final class CpuDevices implements DeviceInventory {

  @Override
  public Backend backend() {
    return Backend.CPU;
  }

  @Override
  public List<Device> devices() {
    Runtime jvm = Runtime.getRuntime();
    long limit = residentLimit();
    long total = Math.max(0, limit - jvm.maxMemory());
    // Resident now, and the heap that may still be committed, are not for tensors.
    long taken = Pointer.physicalBytes() + Math.max(0, jvm.maxMemory() - jvm.totalMemory());
    long free = Math.max(0, Math.min(total, limit - taken));
    String name =
        "%s (%d cores)".formatted(System.getProperty("os.arch"), jvm.availableProcessors());
    return List.of(new Device(0, Device.Kind.CPU, name, total, free));
  }

  /** JavaCPP's resident-memory limit, at most the RAM the JVM sees (a container's limit). */
  static long residentLimit() {
    long ram =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    long max = Pointer.maxPhysicalBytes();
    return max > 0 ? Math.min(max, ram) : ram;
  }
}
