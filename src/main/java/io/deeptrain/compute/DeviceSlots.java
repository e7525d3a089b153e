package io.deeptrain.compute;

import io.deeptrain.compute.BackendInfo.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;

/**
 * Which device each training worker owns. With CUDA one worker per GPU (a network trains on one
 * device, and two jobs on one GPU would fight over its memory); on CPU the configured number of
 * workers, all on the machine. Worker threads made by {@link #threadFactory} bind themselves to
 * their slot's device before they run anything.
 */
public final class DeviceSlots {

  private final List<Integer> deviceOfSlot;
  private final DeviceBinder binder;
  private final Queue<Integer> freeSlots = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Integer> slotOfThread = new ThreadLocal<>();

  private DeviceSlots(List<Integer> deviceOfSlot, DeviceBinder binder) {
    this.deviceOfSlot = List.copyOf(deviceOfSlot);
    this.binder = binder;
    for (int slot = 0; slot < this.deviceOfSlot.size(); slot++) {
      freeSlots.add(slot);
    }
  }

  /**
   * @param cpuWorkers workers on a CPU backend ({@code deeptrain.jobs.workers}); ignored with CUDA
   */
  public static DeviceSlots plan(DeviceInventory inventory, int cpuWorkers, DeviceBinder binder) {
    List<Integer> devices = new ArrayList<>();
    if (inventory.backend() == Backend.CUDA) {
      inventory.devices().forEach(d -> devices.add(d.index()));
      if (devices.isEmpty()) {
        throw new IllegalStateException("The CUDA backend loaded but reports no GPU");
      }
    } else {
      for (int i = 0; i < cpuWorkers; i++) {
        devices.add(0);
      }
    }
    return new DeviceSlots(devices, binder);
  }

  public int count() {
    return deviceOfSlot.size();
  }

  public int deviceOf(int slot) {
    return deviceOfSlot.get(slot);
  }

  /**
   * The slot of the calling worker thread, or -1 on a thread not made by {@link #threadFactory}.
   */
  public int currentSlot() {
    Integer slot = slotOfThread.get();
    return slot == null ? -1 : slot;
  }

  /**
   * Threads for the worker pool: each takes a free slot when it starts, binds to the slot's device
   * and gives the slot back when it ends, so a pool of {@link #count()} threads holds one thread
   * per slot, also after a thread is replaced.
   */
  public ThreadFactory threadFactory(ThreadFactory base) {
    return task ->
        base.newThread(
            () -> {
              Integer slot = freeSlots.poll();
              if (slot == null) {
                throw new IllegalStateException(
                    "more worker threads than device slots (" + count() + ")");
              }
              try {
                slotOfThread.set(slot);
                binder.bindCurrentThread(deviceOfSlot.get(slot));
                task.run();
              } finally {
                slotOfThread.remove();
                freeSlots.add(slot);
              }
            });
  }
}
