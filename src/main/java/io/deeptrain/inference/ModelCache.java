package io.deeptrain.inference;

import io.deeptrain.generative.GenerativeModels;
import io.deeptrain.generative.SameDiffArtifacts;
import io.deeptrain.model.ModelRegistry;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.system.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loaded models, each loaded once (concurrent first requests wait for the same load) and kept until
 * the least recently used is evicted.
 */
@Component
class ModelCache {

  private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

  private final ModelRegistry registry;
  private final GenerativeModels generative;
  private final int capacity;
  private final Map<UUID, LoadedModel> loaded;
  private final Map<UUID, Object> loading = new ConcurrentHashMap<>();

  ModelCache(ModelRegistry registry, GenerativeModels generative, InferenceProperties props) {
    this.registry = registry;
    this.generative = generative;
    this.capacity = props.cacheSize();
    this.loaded =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, LoadedModel> eldest) {
            return size() > capacity;
          }
        };
  }

  LoadedModel get(UUID id) {
    synchronized (loaded) {
      LoadedModel hit = loaded.get(id);
      if (hit != null) {
        return hit;
      }
    }
    Object lock = loading.computeIfAbsent(id, k -> new Object());
    synchronized (lock) {
      try {
        synchronized (loaded) {
          LoadedModel hit = loaded.get(id);
          if (hit != null) {
            return hit;
          }
        }
        LoadedModel model = load(id);
        synchronized (loaded) {
          loaded.put(id, model);
        }
        return model;
      } finally {
        loading.remove(id);
      }
    }
  }

  /** True once the model is in memory and can answer without loading. */
  boolean isReady(UUID id) {
    synchronized (loaded) {
      return loaded.containsKey(id);
    }
  }

  /** Starts loading the model in the background unless it is loaded or loading already. */
  void requestLoad(UUID id) {
    if (isReady(id) || loading.containsKey(id)) {
      return;
    }
    Thread loader =
        new Thread(
            () -> {
              try {
                get(id);
              } catch (RuntimeException e) {
                log.warn("Background load of model {} failed: {}", id, e.getMessage());
              }
            },
            "model-load-" + id);
    loader.setDaemon(true);
    loader.start();
  }

  private LoadedModel load(UUID id) {
    ModelVersion version = registry.get(id);
    ModelRegistry.Artifact artifact = registry.artifact(version);
    long started = System.nanoTime();
    try {
      // The media type says which DL4J network the zip holds, or that it is a SameDiff graph.
      LoadedModel model =
          SameDiffArtifacts.MEDIA_TYPE.equals(artifact.mediaType())
              ? new LoadedModel(generative.load(version, artifact.content()))
              : artifact.mediaType().contains("computationgraph")
                  ? new LoadedModel(
                      version,
                      ModelSerializer.restoreComputationGraph(
                          new ByteArrayInputStream(artifact.content()), false))
                  : new LoadedModel(
                      version,
                      ModelSerializer.restoreMultiLayerNetwork(
                          new ByteArrayInputStream(artifact.content()), false));
      log.info(
          "Loaded model {} ({} v{}, {} bytes) in {} ms",
          id,
          version.name(),
          version.version(),
          artifact.sizeBytes(),
          (System.nanoTime() - started) / 1_000_000);
      return model;
    } catch (IOException | RuntimeException e) {
      log.error("Model {} could not be loaded", id, e);
      throw new ApiException(
          ApiException.Problem.MODEL_UNAVAILABLE,
          "model " + id + " could not be loaded from its artifact: " + e.getMessage());
    }
  }
}
