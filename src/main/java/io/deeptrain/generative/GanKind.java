package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.GanSpec;
import io.deeptrain.spec.ModelSpec;
import org.springframework.stereotype.Component;

/**
 * Loads registered GANs. The artifact is the generator alone ({@link GanGraph#sampler}); its arrays
 * are put into a graph built again from the spec, as {@link GanGraph#restore} explains.
 */
@Component
class GanKind implements GenerativeKind {

  @Override
  public boolean handles(ModelSpec spec) {
    return spec instanceof GanSpec;
  }

  @Override
  public GenerativeModel load(ModelVersion version, byte[] artifact) {
    GanSpec spec = (GanSpec) version.spec();
    return new GanModel(
        version,
        version.inputShape(),
        spec.latentSizeOrDefault(),
        GanGraph.sampler(spec, version.inputShape(), SameDiffArtifacts.load(artifact, false)));
  }
}
