package io.deeptrain.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One layer of a {@link CnnSpec}, polymorphic on {@code type}. Feature maps are [channels, height,
 * width]; the output layer is not listed, it is derived from the dataset.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = CnnLayer.Conv2d.class, name = CnnLayer.Conv2d.TYPE),
  @JsonSubTypes.Type(value = CnnLayer.MaxPool.class, name = CnnLayer.MaxPool.TYPE),
  @JsonSubTypes.Type(value = CnnLayer.AvgPool.class, name = CnnLayer.AvgPool.TYPE),
  @JsonSubTypes.Type(value = CnnLayer.BatchNorm.class, name = CnnLayer.BatchNorm.TYPE),
  @JsonSubTypes.Type(value = CnnLayer.Dropout.class, name = CnnLayer.Dropout.TYPE),
  @JsonSubTypes.Type(value = CnnLayer.Flatten.class, name = CnnLayer.Flatten.TYPE),
  @JsonSubTypes.Type(value = CnnLayer.GlobalAvgPool.class, name = CnnLayer.GlobalAvgPool.TYPE),
  @JsonSubTypes.Type(value = CnnLayer.Dense.class, name = CnnLayer.Dense.TYPE),
  @JsonSubTypes.Type(value = CnnLayer.Residual.class, name = CnnLayer.Residual.TYPE)
})
@Schema(
    name = "CnnLayer",
    description = "A layer of a CNN; the variant is chosen by `type`.",
    discriminatorProperty = "type",
    discriminatorMapping = {
      @DiscriminatorMapping(value = CnnLayer.Conv2d.TYPE, schema = CnnLayer.Conv2d.class),
      @DiscriminatorMapping(value = CnnLayer.MaxPool.TYPE, schema = CnnLayer.MaxPool.class),
      @DiscriminatorMapping(value = CnnLayer.AvgPool.TYPE, schema = CnnLayer.AvgPool.class),
      @DiscriminatorMapping(value = CnnLayer.BatchNorm.TYPE, schema = CnnLayer.BatchNorm.class),
      @DiscriminatorMapping(value = CnnLayer.Dropout.TYPE, schema = CnnLayer.Dropout.class),
      @DiscriminatorMapping(value = CnnLayer.Flatten.TYPE, schema = CnnLayer.Flatten.class),
      @DiscriminatorMapping(
          value = CnnLayer.GlobalAvgPool.TYPE,
          schema = CnnLayer.GlobalAvgPool.class),
      @DiscriminatorMapping(value = CnnLayer.Dense.TYPE, schema = CnnLayer.Dense.class),
      @DiscriminatorMapping(value = CnnLayer.Residual.TYPE, schema = CnnLayer.Residual.class)
    },
    oneOf = {
      CnnLayer.Conv2d.class,
      CnnLayer.MaxPool.class,
      CnnLayer.AvgPool.class,
      CnnLayer.BatchNorm.class,
      CnnLayer.Dropout.class,
      CnnLayer.Flatten.class,
      CnnLayer.GlobalAvgPool.class,
      CnnLayer.Dense.class,
      CnnLayer.Residual.class
    })
public sealed interface CnnLayer {

  /** The discriminator value, as written in JSON. */
  String type();

  /** A 2-D convolution with a square kernel. */
  @Schema(name = "Conv2dLayer", description = "2-D convolution with a square kernel.")
  record Conv2d(
      @Schema(description = "Output channels, 1 to 4096.", example = "32") Integer filters,
      @Schema(description = "Kernel height and width, 1 to 31.", example = "3") Integer kernelSize,
      @Schema(description = "Step between windows, 1 to 16.", defaultValue = "1") Integer stride,
      @Schema(description = "Border handling, as in Keras.", defaultValue = "VALID")
          Padding padding,
      @Schema(description = "Activation function.", defaultValue = "RELU") Activation activation)
      implements CnnLayer {

    public static final String TYPE = "CONV2D";

    @Override
    public String type() {
      return TYPE;
    }

    public int strideOrDefault() {
      return stride == null ? 1 : stride;
    }

    public Padding paddingOrDefault() {
      return padding == null ? Padding.VALID : padding;
    }

    public Activation activationOrDefault() {
      return activation == null ? Activation.RELU : activation;
    }
  }

  /** What max and average pooling share. */
  sealed interface Pool extends CnnLayer {
    Integer size();

    Integer stride();

    Padding padding();

    default int sizeOrDefault() {
      return size() == null ? 2 : size();
    }

    /** Keras' default: windows do not overlap. */
    default int strideOrDefault() {
      return stride() == null ? sizeOrDefault() : stride();
    }

    default Padding paddingOrDefault() {
      return padding() == null ? Padding.VALID : padding();
    }
  }

  @Schema(name = "MaxPoolLayer", description = "Max pooling over square windows.")
  record MaxPool(
      @Schema(description = "Window height and width, 1 to 16.", defaultValue = "2") Integer size,
      @Schema(description = "Step between windows, 1 to 16 (default: the size).") Integer stride,
      @Schema(description = "Border handling.", defaultValue = "VALID") Padding padding)
      implements Pool {

    public static final String TYPE = "MAX_POOL";

    @Override
    public String type() {
      return TYPE;
    }
  }

  @Schema(
      name = "AvgPoolLayer",
      description = "Average pooling over square windows; padding is not counted in the average.")
  record AvgPool(
      @Schema(description = "Window height and width, 1 to 16.", defaultValue = "2") Integer size,
      @Schema(description = "Step between windows, 1 to 16 (default: the size).") Integer stride,
      @Schema(description = "Border handling.", defaultValue = "VALID") Padding padding)
      implements Pool {

    public static final String TYPE = "AVG_POOL";

    @Override
    public String type() {
      return TYPE;
    }
  }

  @Schema(
      name = "BatchNormLayer",
      description =
          "Batch normalisation: per channel on a feature map, per unit after FLATTEN or DENSE.")
  record BatchNorm() implements CnnLayer {

    public static final String TYPE = "BATCH_NORM";

    @Override
    public String type() {
      return TYPE;
    }
  }

  @Schema(name = "DropoutLayer", description = "Drops inputs at random while training.")
  record Dropout(
      @Schema(description = "Probability of dropping an input, in [0, 1).", example = "0.5")
          Double rate)
      implements CnnLayer {

    public static final String TYPE = "DROPOUT";

    @Override
    public String type() {
      return TYPE;
    }
  }

  @Schema(name = "FlattenLayer", description = "Turns a feature map into a vector.")
  record Flatten() implements CnnLayer {

    public static final String TYPE = "FLATTEN";

    @Override
    public String type() {
      return TYPE;
    }
  }

  @Schema(
      name = "GlobalAvgPoolLayer",
      description = "Averages each channel over the whole map: [C, H, W] becomes [C].")
  record GlobalAvgPool() implements CnnLayer {

    public static final String TYPE = "GLOBAL_AVG_POOL";

    @Override
    public String type() {
      return TYPE;
    }
  }

  @Schema(
      name = "CnnDenseLayer",
      description = "A fully connected layer; needs a vector (FLATTEN or GLOBAL_AVG_POOL first).")
  record Dense(
      @Schema(description = "Number of units, 1 to 65536.", example = "64") Integer units,
      @Schema(description = "Activation function.", defaultValue = "RELU") Activation activation)
      implements CnnLayer {

    public static final String TYPE = "DENSE";

    @Override
    public String type() {
      return TYPE;
    }

    public Activation activationOrDefault() {
      return activation == null ? Activation.RELU : activation;
    }
  }

  /**
   * A ResNet block: two SAME convolutions and a skip connection added before the last activation.
   * The skip is the identity, or a 1x1 convolution when the channels or the stride change.
   */
  @Schema(
      name = "ResidualLayer",
      description =
          "ResNet block: conv (stride) → [batch norm] → activation → conv → [batch norm], plus the"
              + " input (through a 1x1 convolution when channels or stride change), then the"
              + " activation. Both convolutions use SAME padding.")
  record Residual(
      @Schema(description = "Output channels, 1 to 4096.", example = "64") Integer filters,
      @Schema(description = "Kernel height and width, 1 to 31.", defaultValue = "3")
          Integer kernelSize,
      @Schema(description = "Stride of the first convolution, 1 to 16.", defaultValue = "1")
          Integer stride,
      @Schema(description = "Activation function.", defaultValue = "RELU") Activation activation,
      @Schema(description = "Batch normalisation after each convolution.", defaultValue = "true")
          Boolean batchNorm)
      implements CnnLayer {

    public static final String TYPE = "RESIDUAL";

    @Override
    public String type() {
      return TYPE;
    }

    public int kernelSizeOrDefault() {
      return kernelSize == null ? 3 : kernelSize;
    }

    public int strideOrDefault() {
      return stride == null ? 1 : stride;
    }

    public Activation activationOrDefault() {
      return activation == null ? Activation.RELU : activation;
    }

    public boolean batchNormOrDefault() {
      return batchNorm == null || batchNorm;
    }
  }
}
