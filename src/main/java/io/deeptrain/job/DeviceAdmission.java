package io.deeptrain.job;

import io.deeptrain.compute.Device;
import io.deeptrain.compute.DeviceInventory;
import io.deeptrain.dataset.DatasetInfo;
import io.deeptrain.spec.SpecGeometry;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Refuses at submit, rather than after a wait in the queue, a job no worker of this deployment can
 * run: one asking for a device kind the replicas do not have, or one whose training step cannot fit
 * even the largest device. Replicas of one deployment share a backend (one image, one node pool),
 * so this replica's devices stand for the cluster's; a GPU job is not kept waiting for GPUs that
 * may never come.
 */
@Component
class DeviceAdmission {

  private final DeviceInventory devices;
  private final SpecGeometry geometry;

  DeviceAdmission(DeviceInventory devices, SpecGeometry geometry) {
    this.devices = devices;
    this.geometry = geometry;
  }

  /** Violations (422) for a request whose spec already fits its dataset. */
  List<FieldViolation> check(SubmitJobRequest request, DatasetInfo dataset, int batchSize) {
    List<FieldViolation> violations = new ArrayList<>();
    SubmitJobRequest.DeviceKind wanted =
        request.device() == null ? SubmitJobRequest.DeviceKind.ANY : request.device();
    Device.Kind have = devices.workerKind();
    if (wanted != SubmitJobRequest.DeviceKind.ANY && !wanted.name().equals(have.name())) {
      violations.add(
          new FieldViolation(
              "device",
              "this deployment trains on %s only (ND4J backend %s); ask for %s or ANY"
                  .formatted(have, devices.backend(), have)));
      return violations;
    }
    Device largest = devices.largest().orElse(null);
    if (largest == null || largest.memoryTotal() <= 0) {
      return violations;
    }
    SpecGeometry.Plan plan =
        geometry.plan(
            request.spec(), dataset.name(), dataset.inputShape(), dataset.classes().size(), "spec");
    if (!plan.fits()) {
      return violations;
    }
    double needed = SpecGeometry.trainingBytes(plan, batchSize);
    if (needed > largest.memoryTotal()) {
      violations.add(
          new FieldViolation(
              "training.batchSize",
              ("a training step on batches of %,d needs about %s; the largest device (%s %d, %s)"
                      + " has %s (%s): use a smaller batch or model")
                  .formatted(
                      batchSize,
                      SpecGeometry.bytes(needed),
                      largest.kind(),
                      largest.index(),
                      largest.name(),
                      SpecGeometry.bytes(largest.memoryTotal()),
                      largest.kind() == Device.Kind.CPU
                          ? "the resident-memory limit less the heap: -Dorg.bytedeco.javacpp.maxphysicalbytes"
                              + " and -Xmx"
                          : "GPU memory")));
    }
    return violations;
  }
}
