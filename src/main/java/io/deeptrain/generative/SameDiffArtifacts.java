package io.deeptrain.generative;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.nd4j.autodiff.samediff.SameDiff;

/** A SameDiff graph as a registry artifact (and as a checkpoint, with its updater state). */
public final class SameDiffArtifacts {

  /** Media type of an artifact holding a SameDiff graph (FlatBuffers, {@link SameDiff#save}). */
  public static final String MEDIA_TYPE = "application/vnd.deeptrain.samediff";

  private SameDiffArtifacts() {}

  /** The graph with its variables; with updater state for a checkpoint, without for a model. */
  public static byte[] save(SameDiff graph, boolean withUpdaterState) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    graph.save(out, withUpdaterState);
    return out.toByteArray();
  }

  public static SameDiff load(byte[] artifact, boolean withUpdaterState) {
    return SameDiff.load(new ByteArrayInputStream(artifact), withUpdaterState);
  }
}
