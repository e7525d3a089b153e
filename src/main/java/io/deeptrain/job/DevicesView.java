package io.deeptrain.job;

import io.deeptrain.compute.BackendInfo.Backend;
import io.deeptrain.compute.Device;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** This replica's devices and what its workers run on them. */
@Schema(description = "The ND4J backend of this replica, its devices and the job on each worker.")
public record DevicesView(
    @Schema(description = "CPU or CUDA") Backend backend, List<DeviceView> devices) {

  public record JobRef(UUID id, String name) {}

  public record WorkerView(
      @Schema(description = "Worker slot number on this replica") int worker,
      @Schema(description = "The job it trains now; null when idle") JobRef job) {}

  public record DeviceView(
      int index,
      Device.Kind kind,
      String name,
      @Schema(
              description =
                  "Bytes usable by jobs: GPU memory, or on CPU the resident-memory limit ND4J"
                      + " allocates under (-Dorg.bytedeco.javacpp.maxphysicalbytes, at most the"
                      + " RAM) less the maximum heap")
          long memoryTotal,
      @Schema(description = "Of memoryTotal, bytes not in use now") long memoryFree,
      @Schema(description = "The first worker slot on this device; null if none") Integer worker,
      @Schema(description = "The job that worker trains now; null when idle") JobRef job,
      @Schema(description = "Every worker on this device (on CPU, all of them)")
          List<WorkerView> workers) {}

  static DevicesView of(
      Backend backend,
      List<Device> devices,
      List<Integer> deviceOfSlot,
      List<RunningJob> runOfSlot) {
    List<DeviceView> views = new ArrayList<>();
    for (Device d : devices) {
      List<WorkerView> workers = new ArrayList<>();
      for (int slot = 0; slot < deviceOfSlot.size(); slot++) {
        if (deviceOfSlot.get(slot) == d.index()) {
          RunningJob run = runOfSlot.get(slot);
          workers.add(
              new WorkerView(slot, run == null ? null : new JobRef(run.id(), run.job().name())));
        }
      }
      WorkerView first = workers.isEmpty() ? null : workers.get(0);
      views.add(
          new DeviceView(
              d.index(),
              d.kind(),
              d.name(),
              d.memoryTotal(),
              d.memoryFree(),
              first == null ? null : first.worker(),
              first == null ? null : first.job(),
              workers));
    }
    return new DevicesView(backend, views);
  }
}
