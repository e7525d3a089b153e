package io.deeptrain.compute;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.bytedeco.javacpp.Pointer;
import org.springframework.stereotype.Component;

/**
 * ND4J's off-heap bytes, the process's resident memory and each device's memory for Prometheus.
 * Devices are read once at bind time for their tags (the set of devices does not change while the
 * process runs).
 */
@Component
class DeviceMetrics implements MeterBinder {

  private final DeviceInventory inventory;

  DeviceMetrics(DeviceInventory inventory) {
    this.inventory = inventory;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    // On the CPU backend libnd4j allocates tensor buffers itself: JavaCPP counts only its own
    // pointers (bytes to kilobytes), so the process's resident memory is where ND4J's CPU memory
    // shows. On CUDA, JavaCPP's count holds the host-side allocations.
    Gauge.builder("deeptrain.nd4j.offheap", Pointer::totalBytes)
        .description(
            "Off-heap bytes JavaCPP counts for ND4J; on the CPU backend read"
                + " deeptrain_process_resident_bytes instead")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("deeptrain.nd4j.offheap.max", Pointer::maxBytes)
        .description("Off-heap limit ND4J (JavaCPP) allocates under")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("deeptrain.process.resident", Pointer::physicalBytes)
        .description(
            "Resident memory of the process (heap, ND4J tensors and native libraries), read by"
                + " JavaCPP from /proc")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("deeptrain.process.resident.max", Pointer::maxPhysicalBytes)
        .description("Resident memory above which JavaCPP refuses ND4J allocations (0: none)")
        .baseUnit("bytes")
        .register(registry);
    for (Device device : inventory.devices()) {
      gauge(registry, device, "total", Device::memoryTotal);
      gauge(registry, device, "free", Device::memoryFree);
    }
  }

  private void gauge(
      MeterRegistry registry, Device device, String state, ToDoubleFunction<Device> value) {
    int index = device.index();
    Gauge.builder(
            "deeptrain.device.memory",
            inventory,
            inv ->
                inv.devices().stream()
                    .filter(d -> d.index() == index)
                    .mapToDouble(value)
                    .findFirst()
                    .orElse(Double.NaN))
        .description("Device memory: total usable and free")
        .baseUnit("bytes")
        .tag("device", String.valueOf(index))
        .tag("kind", device.kind().name())
        .tag("state", state)
        .register(registry);
  }
}
