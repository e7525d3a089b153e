package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.ModelSpec;

/**
 * One family of generative models (VAE, GAN, diffusion): knows its spec and loads its registered
 * artifacts. Each family provides one bean; {@link GenerativeModels} asks them in turn.
 */
public interface GenerativeKind {

  boolean handles(ModelSpec spec);

  /** Loads a registered version from its artifact (see {@link SameDiffArtifacts}). */
  GenerativeModel load(ModelVersion version, byte[] artifact);
}
