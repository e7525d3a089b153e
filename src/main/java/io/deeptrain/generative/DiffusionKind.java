package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.DiffusionSpec;
import io.deeptrain.spec.ModelSpec;
import org.springframework.stereotype.Component;

/** Loads registered diffusion models. */
@Component
public class DiffusionKind implements GenerativeKind {

  @Override
  public boolean handles(ModelSpec spec) {
    return spec instanceof DiffusionSpec;
  }

  @Override
  public GenerativeModel load(ModelVersion version, byte[] artifact) {
    return new DiffusionModel(
        SameDiffArtifacts.load(artifact, false),
        (DiffusionSpec) version.spec(),
        version.inputShape(),
        version);
  }
}
