package io.deeptrain.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Builds model cards from what the registry keeps. */
@Service
class ModelCards {

  private static final Logger log = LoggerFactory.getLogger(ModelCards.class);

  private final ModelRegistry registry;
  private final ModelSummaries summaries;

  ModelCards(ModelRegistry registry, ModelSummaries summaries) {
    this.registry = registry;
    this.summaries = summaries;
  }

  ModelCard of(ModelVersion v) {
    ModelRegistry.Artifact a = registry.artifact(v);
    return new ModelCard(
        v.id(),
        v.name(),
        v.version(),
        registry.aliasesOf(List.of(v.id())).getOrDefault(v.id(), List.of()),
        v.source(),
        v.jobId(),
        v.spec(),
        v.dataset() == null ? null : new ModelCard.Dataset(v.dataset(), v.datasetSha256()),
        v.training(),
        v.training() == null ? null : v.training().seed(),
        v.metrics(),
        v.labels(),
        v.inputShape(),
        parameters(v, a),
        new ModelCard.Artifact(a.mediaType(), a.sha256(), a.sizeBytes()),
        v.libraryVersions(),
        v.createdAt());
  }

  /**
   * Parameters counted from the network configuration in a DL4J zip (no weights loaded), or from
   * the spec for other artifacts (SameDiff generative models).
   */
  private Long parameters(ModelVersion v, ModelRegistry.Artifact a) {
    try {
      if (a.mediaType().contains("deeplearning4j")) {
        String config = configuration(a.content());
        if (config == null) {
          return null;
        }
        long total = 0;
        if (config.contains("\"vertices\"")) {
          for (GraphVertex vertex :
              ComputationGraphConfiguration.fromJson(config).getVertices().values()) {
            total += vertex.numParams(true);
          }
        } else {
          for (NeuralNetConfiguration c : MultiLayerConfiguration.fromJson(config).getConfs()) {
            total += c.getLayer().initializer().numParams(c);
          }
        }
        return total;
      }
      return v.spec() == null ? null : summaries.of(v.id()).totalParams();
    } catch (RuntimeException e) {
      // A card without a parameter count beats no card.
      log.warn("Cannot count the parameters of model {}: {}", v.id(), e.getMessage());
      return null;
    }
  }

  private static String configuration(byte[] zip) {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().equals("configuration.json")) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
