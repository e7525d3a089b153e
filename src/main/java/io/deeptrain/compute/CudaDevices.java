package io.deeptrain.compute;

import io.deeptrain.compute.BackendInfo.Backend;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The GPUs of the CUDA backend, through nd4j-api and nd4j-native-api only, so this compiles (and is
 * chosen at run time) whichever backend the build packaged.
 */
final class CudaDevices implements DeviceInventory {

  @Override
  public Backend backend() {
    return Backend.CUDA;
  }

  @Override
  public List<Device> devices() {
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int count = Nd4j.getAffinityManager().getNumberOfDevices();
    List<Device> devices = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      devices.add(
          new Device(
              i,
              Device.Kind.GPU,
              ops.getDeviceName(i),
              ops.getDeviceTotalMemory(i),
              ops.getDeviceFreeMemory(i)));
    }
    return devices;
  }
}
