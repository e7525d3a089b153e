package io.deeptrain.inference;

import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tensor data is a JSON array of any depth and element type, which annotations on a Java field
 * cannot say: the documented schemas get a plain array of any JSON value.
 */
@Configuration(proxyBeanMethods = false)
class OipOpenApi {

  @Bean
  OpenApiCustomizer oipTensorData() {
    return api -> {
      @SuppressWarnings("rawtypes")
      Map<String, Schema> schemas = api.getComponents().getSchemas();
      if (schemas == null) {
        return;
      }
      data(
          schemas.get("OipInferInput"),
          "The elements, flat in row-major order or nested like the shape: numbers, true/false"
              + " for BOOL, strings for BYTES (images as base64 PNG/JPEG).",
          List.of(5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3));
      data(
          schemas.get("OipInferOutput"),
          "The elements, flat in row-major order: numbers, or strings for BYTES.",
          List.of(0.98, 0.02, 0.0));
      schemas.remove("JsonNode");
    };
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void data(Schema tensor, String description, List<Object> example) {
    if (tensor == null || tensor.getProperties() == null) {
      return;
    }
    ArraySchema data = new ArraySchema();
    data.setItems(new Schema<>().description("a number, true/false, a string or an array"));
    data.setDescription(description);
    data.setExample(example);
    tensor.getProperties().put("data", data);
  }
}
