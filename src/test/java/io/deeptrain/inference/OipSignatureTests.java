package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.model.ModelVersion;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The tensors each kind of model declares, as GET /v2/models/{name} shows them. */
class OipSignatureTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A registered version as the registry reads it; only what the signature looks at. */
  private static ModelVersion version(String spec, String labels, String inputShape) {
    return JSON.readValue(
        """
        {"id":"3f2c8e8a-4b1d-4a57-9a0e-6f1b2c3d4e5f","name":"m","version":1,
         "spec":%s,"labels":%s,"inputShape":%s}"""
            .formatted(spec, labels, inputShape),
        ModelVersion.class);
  }

  private static String tensors(OipSignature sig) {
    return "in "
        + JSON.writeValueAsString(sig.inputs())
        + " out "
        + JSON.writeValueAsString(sig.outputs());
  }

  @Test
  void shouldDescribeATabularMlpAsRowsOfFeatures() {
    OipSignature sig = OipSignature.of(version("{\"type\":\"MLP\"}", "[\"a\",\"b\",\"c\"]", "[4]"));
    assertThat(sig.family()).isEqualTo(OipSignature.Family.TABULAR_CLASSIFIER);
    assertThat(tensors(sig))
        .isEqualTo(
            "in [{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}] out"
                + " [{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,3]},"
                + "{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                + "{\"name\":\"class_index\",\"datatype\":\"INT64\",\"shape\":[-1]}]");
    assertThat(sig.params()).isEmpty();
  }

  @Test
  void shouldDescribeImageClassifiersWithPixelsOrEncodedImages() {
    for (String spec : new String[] {"{\"type\":\"CNN\"}", "{\"type\":\"MLP\"}", "null"}) {
      OipSignature sig = OipSignature.of(version(spec, "[\"a\",\"b\"]", "[3,32,32]"));
      assertThat(sig.family()).as(spec).isEqualTo(OipSignature.Family.IMAGE_CLASSIFIER);
      assertThat(JSON.writeValueAsString(sig.inputs()))
          .isEqualTo(
              "[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,3,32,32]},"
                  + "{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[-1]}]");
      assertThat(sig.outputNames()).containsExactly("probabilities", "label", "class_index");
    }
  }

  @Test
  void shouldDescribeAnUploadedTabularModelWithoutSpecAsAClassifier() {
    OipSignature sig = OipSignature.of(version("null", "[\"x\",\"y\"]", "[13]"));
    assertThat(sig.family()).isEqualTo(OipSignature.Family.TABULAR_CLASSIFIER);
    assertThat(sig.inputs().get(0).shape()).containsExactly(-1L, 13L);
    assertThat(sig.outputs().get(0).shape()).containsExactly(-1L, 2L);
  }

  @Test
  void shouldDescribeAnLstmClassifierAsSequencesOfImageRows() {
    OipSignature sig =
        OipSignature.of(
            version(
                "{\"type\":\"LSTM\",\"layers\":[{\"units\":8}]}", "[\"a\",\"b\"]", "[1,28,28]"));
    assertThat(sig.family()).isEqualTo(OipSignature.Family.SEQUENCE_CLASSIFIER);
    assertThat(sig.inputs().get(0).shape()).containsExactly(-1L, -1L, 28L);
    assertThat(sig.inputNames()).containsExactly("input", "image");
  }

  @Test
  void shouldDescribeALanguageModelAsTextInTextOut() {
    OipSignature sig =
        OipSignature.of(
            version(
                "{\"type\":\"LSTM\",\"layers\":[{\"units\":8}],\"head\":\"LANGUAGE_MODEL\"}",
                "[\"a\",\"b\",\" \"]",
                "[3]"));
    assertThat(sig.family()).isEqualTo(OipSignature.Family.LANGUAGE_MODEL);
    assertThat(tensors(sig))
        .isEqualTo(
            "in [{\"name\":\"prompt\",\"datatype\":\"BYTES\",\"shape\":[-1]}] out"
                + " [{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[-1]}]");
    assertThat(sig.params()).containsExactlyInAnyOrder("seed", "temperature", "top_k", "length");
  }

  @Test
  void shouldDescribeAForecasterAsHistoryToHorizon() {
    OipSignature sig =
        OipSignature.of(
            version(
                "{\"type\":\"LSTM\",\"layers\":[{\"units\":8}],\"head\":\"REGRESSION\"}",
                "[\"y+1\",\"y+2\"]",
                "[24,3]"));
    assertThat(sig.family()).isEqualTo(OipSignature.Family.FORECASTER);
    assertThat(tensors(sig))
        .isEqualTo(
            "in [{\"name\":\"history\",\"datatype\":\"FP32\",\"shape\":[-1,-1,3]}] out"
                + " [{\"name\":\"forecast\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]");
  }

  @Test
  void shouldDescribeGeneratorsAsPngImagesAndPixelsFromParameters() {
    for (String type : new String[] {"VAE", "GAN", "DIFFUSION"}) {
      OipSignature sig =
          OipSignature.of(version("{\"type\":\"" + type + "\"}", "[\"a\"]", "[1,28,28]"));
      assertThat(sig.inputs()).as(type).isEmpty();
      assertThat(JSON.writeValueAsString(sig.outputs()))
          .isEqualTo(
              "[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                  + "{\"name\":\"pixels\",\"datatype\":\"FP32\",\"shape\":[-1,1,28,28]}]");
      assertThat(sig.params()).contains("seed", "count");
      assertThat(sig.params().contains("steps")).isEqualTo(type.equals("DIFFUSION"));
    }
  }
}
