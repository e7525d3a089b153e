package io.deeptrain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** What an upload is refused for before any model is loaded. */
class ModelUploadsTests {

  private final ModelUploads uploads =
      new ModelUploads(
          null, new ModelProperties(DataSize.ofKilobytes(1)), null, JsonMapper.builder().build());

  @Test
  void shouldRefuseAFileOverTheLimitWith413() {
    MockMultipartFile big = new MockMultipartFile("file", "big.zip", null, new byte[2048]);

    assertThatThrownBy(() -> uploads.upload(new ModelUploads.Upload(big, "big", null, null)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(ApiException.Problem.PAYLOAD_TOO_LARGE);
              assertThat(e.getMessage())
                  .contains("2048 bytes, more than the 1024 allowed")
                  .contains("deeptrain.models.max-upload-size");
            });
  }

  @Test
  void shouldNameEveryBadFieldAtOnce() {
    assertThatThrownBy(
            () -> uploads.upload(new ModelUploads.Upload(null, "iris@prod", "a,,b", "[1, 28]")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.violations())
                    .extracting(FieldViolation::field)
                    .containsExactly("name", "labels", "inputShape", "file"));
  }

  @Test
  void shouldAllowJobNamesButNotReferenceSeparators() {
    assertThat(ModelUploads.nameProblem("iris-mlp_v2.final")).isNull();
    assertThat(ModelUploads.nameProblem("a".repeat(200))).isNull();
    assertThat(ModelUploads.nameProblem("a".repeat(201))).contains("1 to 200");
    assertThat(ModelUploads.nameProblem("iris:3")).contains("':'");
    assertThat(ModelUploads.nameProblem("team/iris")).contains("'/'");
    assertThat(ModelUploads.nameProblem(" ")).contains("required");
  }

  @Test
  void shouldDropDl4jsAdviceFromImportMessages() {
    assertThat(
            ModelUploads.plain(
                new IllegalStateException(
                    "Unsupported keras layer type LayerNormalization. Please file an issue at"
                        + " https://github.com/eclipse/deeplearning4j/issues.")))
        .isEqualTo("Unsupported keras layer type LayerNormalization.");
  }
}
