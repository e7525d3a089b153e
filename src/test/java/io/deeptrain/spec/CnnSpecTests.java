package io.deeptrain.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.fixtures.Specs;
import io.deeptrain.system.FieldViolation;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

class CnnSpecTests {

  static final String TUTORIAL = Specs.TUTORIAL_CNN;

  final JsonMapper json = JsonMapper.builder().build();
  final SpecValidator validator = new SpecValidator();

  @Test
  void shouldReadEveryLayerTypeAndWriteItBackTheSame() {
    String all =
        """
        {"type":"CNN","layers":[
          {"type":"CONV2D","filters":8,"kernelSize":5,"stride":2,"padding":"SAME","activation":"ELU"},
          {"type":"BATCH_NORM"},
          {"type":"MAX_POOL","size":3,"stride":1,"padding":"VALID"},
          {"type":"AVG_POOL"},
          {"type":"RESIDUAL","filters":16,"kernelSize":3,"stride":2,"activation":"RELU","batchNorm":false},
          {"type":"DROPOUT","rate":0.25},
          {"type":"GLOBAL_AVG_POOL"},
          {"type":"DENSE","units":10},
          {"type":"FLATTEN"}]}""";
    ModelSpec spec = json.readValue(all, ModelSpec.class);

    assertThat(spec).isInstanceOf(CnnSpec.class);
    CnnSpec cnn = (CnnSpec) spec;
    assertThat(cnn.layers())
        .extracting(CnnLayer::type)
        .containsExactly(
            "CONV2D",
            "BATCH_NORM",
            "MAX_POOL",
            "AVG_POOL",
            "RESIDUAL",
            "DROPOUT",
            "GLOBAL_AVG_POOL",
            "DENSE",
            "FLATTEN");
    assertThat(cnn.layers().get(0))
        .isEqualTo(new CnnLayer.Conv2d(8, 5, 2, Padding.SAME, Activation.ELU));
    assertThat(cnn.layers().get(4))
        .isEqualTo(new CnnLayer.Residual(16, 3, 2, Activation.RELU, false));
    String written = json.writeValueAsString(spec);
    assertThat(written).contains("\"type\":\"CNN\"", "{\"type\":\"BATCH_NORM\"}");
    assertThat(json.readValue(written, ModelSpec.class)).isEqualTo(spec);
  }

  @Test
  void shouldApplyKerasDefaults() {
    CnnSpec spec =
        (CnnSpec)
            json.readValue(
                "{\"type\":\"CNN\",\"layers\":[{\"type\":\"CONV2D\",\"filters\":4,\"kernelSize\":3},"
                    + "{\"type\":\"MAX_POOL\"},{\"type\":\"RESIDUAL\",\"filters\":4}]}",
                ModelSpec.class);
    CnnLayer.Conv2d conv = (CnnLayer.Conv2d) spec.layers().get(0);
    CnnLayer.MaxPool pool = (CnnLayer.MaxPool) spec.layers().get(1);
    CnnLayer.Residual block = (CnnLayer.Residual) spec.layers().get(2);
    assertThat(conv.strideOrDefault()).isEqualTo(1);
    assertThat(conv.paddingOrDefault()).isEqualTo(Padding.VALID);
    assertThat(conv.activationOrDefault()).isEqualTo(Activation.RELU);
    assertThat(pool.sizeOrDefault()).isEqualTo(2);
    assertThat(pool.strideOrDefault()).isEqualTo(2);
    assertThat(block.kernelSizeOrDefault()).isEqualTo(3);
    assertThat(block.strideOrDefault()).isEqualTo(1);
    assertThat(block.batchNormOrDefault()).isTrue();
  }

  @Test
  void shouldRejectAnUnknownLayerType() {
    assertThatThrownBy(
            () ->
                json.readValue(
                    "{\"type\":\"CNN\",\"layers\":[{\"type\":\"CONV3D\"}]}", ModelSpec.class))
        .isInstanceOf(InvalidTypeIdException.class);
  }

  @Test
  void shouldAcceptTheTensorflowTutorialCnn() {
    assertThat(validator.validate(json.readValue(TUTORIAL, ModelSpec.class), "spec")).isEmpty();
  }

  @Test
  void shouldNameEachBadFieldByItsPath() {
    CnnSpec spec =
        new CnnSpec(
            List.of(
                new CnnLayer.Conv2d(0, 3, null, null, null),
                new CnnLayer.Conv2d(8, null, 17, null, null),
                new CnnLayer.Conv2d(8, 32, null, null, null),
                new CnnLayer.MaxPool(17, 0, null),
                new CnnLayer.Residual(5000, 0, null, null, null),
                new CnnLayer.Dropout(1.0),
                new CnnLayer.Dropout(null),
                new CnnLayer.Flatten(),
                new CnnLayer.Dense(0, null)));
    assertThat(validator.validate(spec, "spec"))
        .extracting(FieldViolation::field)
        .containsExactly(
            "spec.layers[0].filters",
            "spec.layers[1].kernelSize",
            "spec.layers[1].stride",
            "spec.layers[2].kernelSize",
            "spec.layers[3].size",
            "spec.layers[3].stride",
            "spec.layers[4].filters",
            "spec.layers[4].kernelSize",
            "spec.layers[5].rate",
            "spec.layers[6].rate",
            "spec.layers[8].units");
    assertThat(validator.validate(spec, "spec").get(0).message())
        .isEqualTo("must be between 1 and 4096, got 0");
  }

  @Test
  void shouldRejectSpatialLayersAfterFlatteningAndDenseBeforeIt() {
    CnnSpec spec =
        new CnnSpec(
            List.of(
                new CnnLayer.Dense(8, null),
                new CnnLayer.Conv2d(8, 3, null, null, null),
                new CnnLayer.Flatten()));
    assertThat(validator.validate(spec, "spec"))
        .extracting(FieldViolation::toString)
        .containsExactly(
            "spec.layers[0] DENSE needs a vector; put a FLATTEN or GLOBAL_AVG_POOL layer before"
                + " it",
            "spec.layers[1] CONV2D needs a feature map, but spec.layers[0] DENSE already made it a"
                + " vector; move it before that layer",
            "spec.layers[2] FLATTEN needs a feature map, but spec.layers[0] DENSE already made it"
                + " a vector; move it before that layer");
  }

  @Test
  void shouldRejectMissingOrTooManyLayersAndListEveryTypeWhenTheSpecIsMissing() {
    assertThat(validator.validate(new CnnSpec(List.of()), "spec"))
        .extracting(FieldViolation::field)
        .containsExactly("spec.layers");
    assertThat(
            validator.validate(
                new CnnSpec(Collections.nCopies(129, new CnnLayer.BatchNorm())), "spec"))
        .extracting(FieldViolation::message)
        .containsExactly("has 129 layers; at most 128 are allowed");
    assertThat(validator.validate((ModelSpec) null, "spec"))
        .extracting(FieldViolation::message)
        .containsExactly("is required; allowed types: MLP, CNN, LSTM, VAE, GAN, DIFFUSION");
  }
}
