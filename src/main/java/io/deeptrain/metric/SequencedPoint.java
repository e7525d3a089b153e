package io.deeptrain.metric;

/**
 * A metric point with its place in the job's write order: {@code seq} grows with every point
 * written for the job (V11), so "after seq" resumes a stream without gaps or repeats.
 */
public record SequencedPoint(long seq, String name, long step, int epoch, double value) {}
