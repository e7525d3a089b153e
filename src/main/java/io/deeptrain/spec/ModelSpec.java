package io.deeptrain.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A network architecture, polymorphic on {@code type}. The output layer is not part of the spec: it
 * is derived from the dataset (softmax over its classes for classification); generative models
 * (VAE, GAN, diffusion) output images shaped like the dataset's.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = MlpSpec.class, name = MlpSpec.TYPE),
  @JsonSubTypes.Type(value = CnnSpec.class, name = CnnSpec.TYPE),
  @JsonSubTypes.Type(value = LstmSpec.class, name = LstmSpec.TYPE),
  @JsonSubTypes.Type(value = VaeSpec.class, name = VaeSpec.TYPE),
  @JsonSubTypes.Type(value = GanSpec.class, name = GanSpec.TYPE),
  @JsonSubTypes.Type(value = DiffusionSpec.class, name = DiffusionSpec.TYPE)
})
@Schema(
    description = "Model architecture; the variant is chosen by `type`.",
    discriminatorProperty = "type",
    discriminatorMapping = {
      @DiscriminatorMapping(value = MlpSpec.TYPE, schema = MlpSpec.class),
      @DiscriminatorMapping(value = CnnSpec.TYPE, schema = CnnSpec.class),
      @DiscriminatorMapping(value = LstmSpec.TYPE, schema = LstmSpec.class),
      @DiscriminatorMapping(value = VaeSpec.TYPE, schema = VaeSpec.class),
      @DiscriminatorMapping(value = GanSpec.TYPE, schema = GanSpec.class),
      @DiscriminatorMapping(value = DiffusionSpec.TYPE, schema = DiffusionSpec.class)
    },
    oneOf = {
      MlpSpec.class,
      CnnSpec.class,
      LstmSpec.class,
      VaeSpec.class,
      GanSpec.class,
      DiffusionSpec.class
    })
public sealed interface ModelSpec
    permits MlpSpec, CnnSpec, LstmSpec, VaeSpec, GanSpec, DiffusionSpec {

  /** Whether the spec is a generative model of images (VAE, GAN, diffusion). */
  default boolean generative() {
    return this instanceof VaeSpec || this instanceof GanSpec || this instanceof DiffusionSpec;
  }

  /** The discriminator value, as written in JSON. */
  String type();
}
