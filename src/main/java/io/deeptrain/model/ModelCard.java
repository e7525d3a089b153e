package io.deeptrain.model;

import io.deeptrain.spec.ModelSpec;
import io.deeptrain.spec.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/** What a model is and where it came from, enough to reproduce or audit it. */
@Schema(description = "A model card: provenance, configuration, results and artifact of a version.")
public record ModelCard(
    UUID id,
    String name,
    int version,
    @Schema(description = "Aliases pointing at this version, 'latest' for the highest one.")
        List<String> aliases,
    ModelSource source,
    @Schema(description = "The job that trained it; null for uploads.") UUID jobId,
    @Schema(description = "The architecture as submitted; null for uploads.") ModelSpec spec,
    @Schema(description = "The training dataset; null for uploads.") Dataset dataset,
    @Schema(description = "The training configuration; null for uploads.") TrainingSpec training,
    @Schema(description = "Seed of weight initialisation, split and shuffling.") Long seed,
    @Schema(description = "Final metrics of the training run (empty for uploads).")
        Map<String, Double> metrics,
    List<String> labels,
    List<Integer> inputShape,
    @Schema(description = "Parameters of the network, as DL4J's numParams() counts them.")
        Long parameters,
    Artifact artifact,
    @Schema(
            description =
                "Versions at registration: deeplearning4j, nd4j, backend, java, deeptrain.",
            example =
                "{\"deeplearning4j\":\"1.0.0-M2.1\",\"nd4j\":\"1.0.0-M2.1\",\"backend\":\"CPU"
                    + " (OPENBLAS, oneDNN)\",\"java\":\"17.0.13 (Debian)\",\"deeptrain\":\"0.1.0\"}")
        Map<String, String> libraryVersions,
    Instant createdAt) {

  /**
   * @param sha256 SHA-256 (hex) of the dataset's content as kept: a built-in's CSV, a folder
   *     dataset's files concatenated in reading order, an upload's stored content
   */
  public record Dataset(String name, String sha256) {}

  /** The stored DL4J file: GET /api/v1/models/{ref}/artifact downloads it. */
  public record Artifact(String mediaType, String sha256, long sizeBytes) {}

  /** The card as Markdown, for a README or a registry page; JSON blocks written by {@code json}. */
  String markdown(JsonMapper json) {
    StringBuilder md = new StringBuilder();
    md.append("# Model card: ").append(name).append(" v").append(version).append("\n\n");
    row(md, "Id", id);
    row(md, "Aliases", aliases.isEmpty() ? "none" : String.join(", ", aliases));
    row(md, "Source", source);
    row(md, "Created", createdAt);
    row(md, "Job", jobId);
    if (dataset != null) {
      row(md, "Dataset", dataset.name());
      row(md, "Dataset SHA-256", dataset.sha256());
    }
    row(md, "Seed", seed);
    row(md, "Labels", String.join(", ", labels));
    row(md, "Input shape", inputShape);
    row(md, "Parameters", parameters);
    row(md, "Artifact", artifact.mediaType() + ", " + artifact.sizeBytes() + " bytes");
    row(md, "Artifact SHA-256", artifact.sha256());
    if (!metrics.isEmpty()) {
      md.append("\n## Metrics\n\n| metric | value |\n| --- | --- |\n");
      metrics.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    }
    if (spec != null) {
      md.append("\n## Spec\n\n```json\n").append(json.writeValueAsString(spec)).append("\n```\n");
    }
    if (training != null) {
      md.append("\n## Training\n\n```json\n")
          .append(json.writeValueAsString(training))
          .append("\n```\n");
    }
    if (libraryVersions != null && !libraryVersions.isEmpty()) {
      md.append("\n## Library versions\n\n| library | version |\n| --- | --- |\n");
      libraryVersions.forEach(
          (k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    }
    return md.toString();
  }

  private static void row(StringBuilder md, String key, Object value) {
    if (value != null) {
      md.append("- **").append(key).append(":** ").append(value).append('\n');
    }
  }
}
