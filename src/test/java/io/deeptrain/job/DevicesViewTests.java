package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.compute.BackendInfo.Backend;
import io.deeptrain.compute.Device;
import io.deeptrain.spec.DenseLayerSpec;
import io.deeptrain.spec.MlpSpec;
import io.deeptrain.spec.TrainingSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DevicesViewTests {

  @Test
  void shouldShowOnEachGpuTheJobItsWorkerRuns() {
    RunningJob run = new RunningJob(job("cifar-cnn"), epochs -> {}, from -> {});
    List<Device> gpus =
        List.of(
            new Device(0, Device.Kind.GPU, "A", 16L << 30, 8L << 30),
            new Device(1, Device.Kind.GPU, "B", 16L << 30, 16L << 30));

    DevicesView view = DevicesView.of(Backend.CUDA, gpus, List.of(0, 1), Arrays.asList(null, run));

    assertThat(view.backend()).isEqualTo(Backend.CUDA);
    assertThat(view.devices().get(0).worker()).isZero();
    assertThat(view.devices().get(0).job()).isNull();
    assertThat(view.devices().get(1).worker()).isEqualTo(1);
    assertThat(view.devices().get(1).job())
        .isEqualTo(new DevicesView.JobRef(run.id(), "cifar-cnn"));
    assertThat(view.devices().get(1).memoryFree()).isEqualTo(16L << 30);
  }

  @Test
  void shouldListEveryCpuWorkerUnderTheOneMachine() {
    RunningJob run = new RunningJob(job("iris-mlp"), epochs -> {}, from -> {});
    List<Device> machine = List.of(new Device(0, Device.Kind.CPU, "amd64", 4L << 30, 3L << 30));

    DevicesView view =
        DevicesView.of(Backend.CPU, machine, List.of(0, 0), Arrays.asList(null, run));

    assertThat(view.devices()).hasSize(1);
    assertThat(view.devices().get(0).workers())
        .containsExactly(
            new DevicesView.WorkerView(0, null),
            new DevicesView.WorkerView(1, new DevicesView.JobRef(run.id(), "iris-mlp")));
  }

  private static Job job(String name) {
    return new Job(
        UUID.randomUUID(),
        name,
        JobStatus.RUNNING,
        0,
        "iris",
        new MlpSpec(List.of(new DenseLayerSpec(4, null)), null),
        TrainingSpec.defaults(),
        1,
        3,
        null,
        null,
        false,
        Instant.EPOCH,
        null,
        null,
        null,
        0,
        20,
        null,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        null);
  }
}
