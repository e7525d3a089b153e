package io.deeptrain.generative;

import io.deeptrain.model.ModelVersion;
import java.util.List;
import org.springframework.stereotype.Component;

/** Loads any registered generative model through the family that handles its spec. */
@Component
public class GenerativeModels {

  private final List<GenerativeKind> kinds;

  GenerativeModels(List<GenerativeKind> kinds) {
    this.kinds = List.copyOf(kinds);
  }

  /**
   * @throws IllegalArgumentException when no family handles the version's spec
   */
  public GenerativeModel load(ModelVersion version, byte[] artifact) {
    for (GenerativeKind kind : kinds) {
      if (kind.handles(version.spec())) {
        return kind.load(version, artifact);
      }
    }
    throw new IllegalArgumentException(
        "no generative model family handles " + version.spec().type() + " models");
  }
}
