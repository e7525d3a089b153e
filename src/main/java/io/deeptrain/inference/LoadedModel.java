package io.deeptrain.inference;

import io.deeptrain.model.ModelVersion;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A model version with its network in memory. DL4J's {@code output} is synchronized, so one network
 * serves one request at a time; later, a micro-batcher per model merges concurrent requests.
 */
record LoadedModel(ModelVersion version, MultiLayerNetwork network) {}
