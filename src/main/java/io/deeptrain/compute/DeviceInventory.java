package io.deeptrain.compute;

import io.deeptrain.compute.BackendInfo.Backend;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The devices of this replica's ND4J backend, with their memory as of the call. */
public interface DeviceInventory {

  Backend backend();

  List<Device> devices();

  /** The device with the most memory: the best any job can hope for on this replica. */
  default Optional<Device> largest() {
    return devices().stream().max(Comparator.comparingLong(Device::memoryTotal));
  }

  /** The kind of device this replica's workers train on (workers never mix kinds). */
  default Device.Kind workerKind() {
    return backend() == Backend.CUDA ? Device.Kind.GPU : Device.Kind.CPU;
  }
}
