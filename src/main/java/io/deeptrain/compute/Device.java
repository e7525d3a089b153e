package io.deeptrain.compute;

/**
 * One device jobs train on.
 *
 * @param index the backend's device number (always 0 on CPU)
 * @param kind CPU or GPU
 * @param name what the backend calls it
 * @param memoryTotal bytes a job may use on it: the GPU's memory, or on CPU the resident-memory
 *     limit ND4J allocates under (JavaCPP's maxPhysicalBytes, at most the RAM) less the max heap
 * @param memoryFree of those, bytes not in use now
 */
public record Device(int index, Kind kind, String name, long memoryTotal, long memoryFree) {

  public enum Kind {
    CPU,
    GPU
  }
}
