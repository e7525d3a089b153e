package io.deeptrain.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A network architecture, polymorphic on {@code type}. The output layer is not part of the spec: it
 * is derived from the dataset (softmax over its classes for classification).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = MlpSpec.class, name = MlpSpec.TYPE),
  @JsonSubTypes.Type(value = CnnSpec.class, name = CnnSpec.TYPE),
  @JsonSubTypes.Type(value = LstmSpec.class, name = LstmSpec.TYPE)
})
@Schema(
    description = "Model architecture; the variant is chosen by `type`.",
    discriminatorProperty = "type",
    discriminatorMapping = {
      @DiscriminatorMapping(value = MlpSpec.TYPE, schema = MlpSpec.class),
      @DiscriminatorMapping(value = CnnSpec.TYPE, schema = CnnSpec.class),
      @DiscriminatorMapping(value = LstmSpec.TYPE, schema = LstmSpec.class)
    },
    oneOf = {MlpSpec.class, CnnSpec.class, LstmSpec.class})
public sealed interface ModelSpec permits MlpSpec, CnnSpec, LstmSpec {

  /** The discriminator value, as written in JSON. */
  String type();
}
