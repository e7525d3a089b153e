package io.deeptrain.inference;

import java.util.UUID;

/** Reads a model version from the registry into memory, ready to serve once warmed up. */
@FunctionalInterface
interface ModelLoader {

  /**
   * The model with its batcher started.
   *
   * @throws io.deeptrain.system.ApiException 404 for an unknown model, 503 when its artifact cannot
   *     be read
   */
  LoadedModel load(UUID id);
}
