package io.deeptrain.training;

/**
 * A resumable snapshot of a run: the network with its updater state (DL4J {@code ModelSerializer}
 * zip, which also holds the iteration and epoch counters that learning-rate schedules read) and the
 * position in the data.
 *
 * @param mediaType which DL4J network the zip holds (see {@link TrainableNetwork})
 * @param captureNanos time the training thread spent serialising it, for the logs
 */
public record Checkpoint(ResumePoint position, String mediaType, byte[] model, long captureNanos) {}
