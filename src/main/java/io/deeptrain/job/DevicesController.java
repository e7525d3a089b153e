package io.deeptrain.job;

import io.deeptrain.compute.DeviceInventory;
import io.deeptrain.compute.DeviceSlots;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Devices", description = "What this replica trains on")
class DevicesController {

  private final DeviceInventory devices;
  private final JobWorkers workers;

  DevicesController(DeviceInventory devices, JobWorkers workers) {
    this.devices = devices;
    this.workers = workers;
  }

  @GetMapping("/api/v1/devices")
  @Operation(
      summary = "This replica's devices, their memory and the job each worker runs",
      description =
          "On CPU one device, the machine, with the off-heap limit ND4J allocates under; with"
              + " CUDA one device per GPU and one worker per GPU.")
  DevicesView devices() {
    DeviceSlots slots = workers.slots();
    List<Integer> deviceOfSlot = new ArrayList<>();
    for (int slot = 0; slot < slots.count(); slot++) {
      deviceOfSlot.add(slots.deviceOf(slot));
    }
    return DevicesView.of(devices.backend(), devices.devices(), deviceOfSlot, workers.runsBySlot());
  }
}
