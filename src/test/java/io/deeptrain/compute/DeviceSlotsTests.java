package io.deeptrain.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.compute.BackendInfo.Backend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeviceSlotsTests {

  static final long GIB = 1L << 30;

  /** Two GPUs, as the CUDA inventory would report them, on the CPU test host. */
  static DeviceInventory twoGpus() {
    return new DeviceInventory() {
      @Override
      public Backend backend() {
        return Backend.CUDA;
      }

      @Override
      public List<Device> devices() {
        return List.of(
            new Device(0, Device.Kind.GPU, "fake A100", 40 * GIB, 39 * GIB),
            new Device(1, Device.Kind.GPU, "fake T4", 16 * GIB, 15 * GIB));
      }
    };
  }

  @Test
  void shouldGiveEachGpuOneWorkerWhateverTheConfiguredWorkerCount() {
    DeviceSlots slots = DeviceSlots.plan(twoGpus(), 5, device -> {});

    assertThat(slots.count()).isEqualTo(2);
    assertThat(List.of(slots.deviceOf(0), slots.deviceOf(1))).containsExactly(0, 1);
  }

  @Test
  void shouldRunTheConfiguredWorkersAllOnTheMachineOnCpu() {
    DeviceSlots slots = DeviceSlots.plan(new CpuDevices(), 3, device -> {});

    assertThat(slots.count()).isEqualTo(3);
    assertThat(List.of(slots.deviceOf(0), slots.deviceOf(1), slots.deviceOf(2))).containsOnly(0);
  }

  @Test
  void shouldAttachEachWorkerThreadToItsOwnGpuBeforeItRunsAJob() throws Exception {
    Map<String, Integer> attached = new ConcurrentHashMap<>();
    DeviceSlots slots =
        DeviceSlots.plan(
            twoGpus(), 1, device -> attached.put(Thread.currentThread().getName(), device));
    Map<String, Integer> slotSeenByJob = new ConcurrentHashMap<>();
    CountDownLatch bothRunning = new CountDownLatch(2);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            slots.count(),
            slots.threadFactory(r -> new Thread(r, "worker-" + Integer.toHexString(r.hashCode()))));
    try {
      for (int i = 0; i < 2; i++) {
        pool.execute(
            () -> {
              slotSeenByJob.put(Thread.currentThread().getName(), slots.currentSlot());
              bothRunning.countDown();
              try {
                // Hold the thread so the second job cannot reuse it.
                bothRunning.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      assertThat(bothRunning.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    // Two threads, one per GPU, each bound to the device of the slot its jobs saw.
    assertThat(attached).hasSize(2);
    assertThat(attached.values()).containsExactlyInAnyOrder(0, 1);
    assertThat(slotSeenByJob.keySet()).isEqualTo(attached.keySet());
    slotSeenByJob.forEach(
        (thread, slot) -> assertThat(attached.get(thread)).isEqualTo(slots.deviceOf(slot)));
    assertThat(slots.currentSlot()).as("a thread that is no worker").isEqualTo(-1);
  }

  @Test
  void shouldGiveAReplacementThreadTheSlotItsPredecessorLeft() throws Exception {
    Map<String, Integer> attached = new ConcurrentHashMap<>();
    DeviceSlots slots =
        DeviceSlots.plan(
            twoGpus(), 1, device -> attached.put(Thread.currentThread().getName(), device));
    java.util.concurrent.atomic.AtomicInteger made =
        new java.util.concurrent.atomic.AtomicInteger();
    var factory = slots.threadFactory(r -> new Thread(r, "t" + made.incrementAndGet()));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    Thread staying =
        factory.newThread(
            () -> {
              holding.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    staying.start();
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    Thread dying = factory.newThread(() -> {});
    dying.start();
    dying.join();
    Thread replacement = factory.newThread(() -> {});
    replacement.start();
    replacement.join();
    release.countDown();
    staying.join();

    // The replacement (t3) works on the GPU the thread that ended (t2) had, not the busy one.
    assertThat(attached.get("t3")).isEqualTo(attached.get("t2"));
    assertThat(attached.get("t3")).isNotEqualTo(attached.get("t1"));
  }

  @Test
  void shouldReportTheMachineWithTheResidentLimitLessTheHeapOnCpu() {
    List<Device> devices = new CpuDevices().devices();

    assertThat(devices).hasSize(1);
    Device machine = devices.get(0);
    assertThat(machine.kind()).isEqualTo(Device.Kind.CPU);
    // libnd4j's CPU buffers are outside JavaCPP's off-heap count: the resident limit is what binds.
    assertThat(machine.memoryTotal())
        .isEqualTo(CpuDevices.residentLimit() - Runtime.getRuntime().maxMemory())
        .isPositive();
    assertThat(machine.memoryFree()).isBetween(0L, machine.memoryTotal());
  }
}
