package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.compute.BackendInfo.Backend;
import io.deeptrain.compute.Device;
import io.deeptrain.compute.DeviceInventory;
import io.deeptrain.dataset.DatasetInfo;
import io.deeptrain.spec.Activation;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.system.FieldViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceAdmissionTests {

  static final DatasetInfo IRIS =
      new DatasetInfo(
          "iris",
          DatasetInfo.TABULAR,
          List.of(4),
          List.of("a", "b", "c", "d"),
          List.of("setosa", "versicolor", "virginica"),
          150,
          120,
          30,
          "bundled",
          "test",
          false,
          List.of(40, 40, 40),
          List.of(10, 10, 10));

  static DeviceInventory gpus(long... memory) {
    return new DeviceInventory() {
      @Override
      public Backend backend() {
        return Backend.CUDA;
      }

      @Override
      public List<Device> devices() {
        List<Device> list = new java.util.ArrayList<>();
        for (int i = 0; i < memory.length; i++) {
          list.add(new Device(i, Device.Kind.GPU, "gpu" + i, memory[i], memory[i]));
        }
        return list;
      }
    };
  }

  static SubmitJobRequest mlp(int units, SubmitJobRequest.DeviceKind device) {
    MlpSpec spec =
        new MlpSpec(
            List.of(
                new DenseLayerSpec(units, Activation.RELU),
                new DenseLayerSpec(units, Activation.RELU)),
            null);
    return new SubmitJobRequest("t", "iris", spec, null, null, null, device);
  }

  @Test
  void shouldRefuseAJobThatCannotFitTheLargestGpuNamingItsMemory() {
    // 2 x 4096 units: ~17 M parameters, ~ 270 MB for weights, gradients and updater state.
    DeviceAdmission admission =
        new DeviceAdmission(gpus(64L << 20, 128L << 20), new SpecGeometry());

    List<FieldViolation> violations = admission.check(mlp(4096, null), IRIS, 32);

    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).field()).isEqualTo("training.batchSize");
    assertThat(violations.get(0).message())
        .contains("the largest device (GPU 1, gpu1) has 128.0 MB (GPU memory)");
  }

  @Test
  void shouldAdmitAJobThatFitsTheLargestGpuEvenIfNotTheOthers() {
    DeviceAdmission admission = new DeviceAdmission(gpus(64L << 20, 1L << 30), new SpecGeometry());

    assertThat(admission.check(mlp(4096, SubmitJobRequest.DeviceKind.GPU), IRIS, 32)).isEmpty();
  }

  @Test
  void shouldRefuseAGpuJobOnACpuDeploymentAndAcceptCpuOrAny() {
    DeviceInventory cpu =
        new DeviceInventory() {
          @Override
          public Backend backend() {
            return Backend.CPU;
          }

          @Override
          public List<Device> devices() {
            return List.of(new Device(0, Device.Kind.CPU, "machine", 1L << 30, 1L << 30));
          }
        };
    DeviceAdmission admission = new DeviceAdmission(cpu, new SpecGeometry());

    List<FieldViolation> gpu = admission.check(mlp(8, SubmitJobRequest.DeviceKind.GPU), IRIS, 16);
    assertThat(gpu).extracting(FieldViolation::field).containsExactly("device");
    assertThat(gpu.get(0).message()).contains("trains on CPU only", "ask for CPU or ANY");
    assertThat(admission.check(mlp(8, SubmitJobRequest.DeviceKind.CPU), IRIS, 16)).isEmpty();
    assertThat(admission.check(mlp(8, SubmitJobRequest.DeviceKind.ANY), IRIS, 16)).isEmpty();
  }
}
