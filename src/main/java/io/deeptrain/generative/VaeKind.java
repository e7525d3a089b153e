package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.VaeSpec;
import org.springframework.stereotype.Component;

/** Loads registered VAEs. */
@Component
class VaeKind implements GenerativeKind {

  @Override
  public boolean handles(ModelSpec spec) {
    return spec instanceof VaeSpec;
  }

  @Override
  public GenerativeModel load(ModelVersion version, byte[] artifact) {
    return VaeModel.load(version, (VaeSpec) version.spec(), version.inputShape(), artifact);
  }
}
