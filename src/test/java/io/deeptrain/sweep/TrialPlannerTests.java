package io.deeptrain.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.job.SubmitJobRequest;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class TrialPlannerTests {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final SubmitJobRequest BASE =
      new SubmitJobRequest(null, "iris", null, null, null, null, null);

  @Test
  void shouldExpandAGridIntoEveryCombinationFirstParameterSlowest() {
    LinkedHashMap<String, SweepParameter> params = new LinkedHashMap<>();
    params.put("training.learningRate", values(NODES.numberNode(0.001), NODES.numberNode(0.1)));
    params.put(
        "training.optimizer",
        values(NODES.stringNode("ADAM"), NODES.stringNode("SGD"), NODES.stringNode("SGD_G2")));

    SweepPlan plan = TrialPlanner.plan(request(params, null, null, null), 7);

    assertThat(plan.trials()).hasSize(6);
    assertThat(plan.trials().stream().map(TrialPlan::number)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(plan.trials().stream().map(t -> t.parameters().toString()))
        .containsExactly(
            "{training.learningRate=0.001, training.optimizer=\"ADAM\"}",
            "{training.learningRate=0.001, training.optimizer=\"SGD\"}",
            "{training.learningRate=0.001, training.optimizer=\"SGD_G2\"}",
            "{training.learningRate=0.1, training.optimizer=\"ADAM\"}",
            "{training.learningRate=0.1, training.optimizer=\"SGD\"}",
            "{training.learningRate=0.1, training.optimizer=\"SGD_G2\"}");
    TrialPlan last = plan.trials().get(5);
    assertThat(last.choices().get("training.learningRate").valueIndex()).isEqualTo(1);
    assertThat(last.choices().get("training.optimizer").valueIndex()).isEqualTo(2);
    assertThat(plan.maxParallel()).isEqualTo(1);
    assertThat(plan.objective()).isEqualTo(new Objective("test_accuracy", Objective.Mode.MAX));
    assertThat(plan.name()).isEqualTo("sweep-iris");
  }

  @Test
  void shouldDrawLogScaledValuesWithinTheBoundsAndSpreadOverTheDecades() {
    SweepParameter lr = new SweepParameter(null, 1e-4, 1e-1, SweepParameter.Scale.LOG);
    SplittableRandom rng = new SplittableRandom(1);
    int[] perDecade = new int[3];
    for (int i = 0; i < 3000; i++) {
      double v = TrialPlanner.draw(lr, rng).asDouble();
      assertThat(v).isBetween(1e-4, 1e-1);
      perDecade[(int) Math.min(2, Math.floor(Math.log10(v) + 4))]++;
    }
    // Uniform in log space: about a third in each decade (linear would put 90% in the last).
    for (int count : perDecade) {
      assertThat(count).isBetween(850, 1150);
    }
  }

  @Test
  void shouldDrawIntegersForIntegerBoundsOnBothScales() {
    SplittableRandom rng = new SplittableRandom(3);
    for (SweepParameter.Scale scale : SweepParameter.Scale.values()) {
      SweepParameter units = new SweepParameter(null, 8, 64, scale);
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (int i = 0; i < 2000; i++) {
        JsonNode v = TrialPlanner.draw(units, rng);
        assertThat(v.isIntegralNumber()).as("%s %s", scale, v).isTrue();
        assertThat(v.asLong()).isBetween(8L, 64L);
        seen.add(v.asLong());
      }
      assertThat(seen).as(scale.name()).contains(8L, 64L);
    }
  }

  @Test
  void shouldGiveTheSameTrialsForTheSameSeedAndOtherTrialsForAnother() {
    LinkedHashMap<String, SweepParameter> params = new LinkedHashMap<>();
    params.put(
        "training.learningRate", new SweepParameter(null, 1e-4, 1e-1, SweepParameter.Scale.LOG));
    params.put("spec.layers[0].units", new SweepParameter(null, 4, 64, null));
    params.put("training.optimizer", values(NODES.stringNode("ADAM"), NODES.stringNode("SGD")));
    SweepRequest random = request(params, SweepRequest.Search.RANDOM, 10, 42L);

    List<Map<String, JsonNode>> first = parameters(TrialPlanner.plan(random, 0));
    List<Map<String, JsonNode>> again = parameters(TrialPlanner.plan(random, 99));
    List<Map<String, JsonNode>> other =
        parameters(TrialPlanner.plan(request(params, SweepRequest.Search.RANDOM, 10, 43L), 0));

    assertThat(first).hasSize(10).isEqualTo(again).isNotEqualTo(other);
    assertThat(first)
        .allSatisfy(t -> assertThat(t.get("spec.layers[0].units").isIntegralNumber()).isTrue());
    // No seed given: the caller's draw is used, and kept so the sweep can be replayed.
    SweepPlan unseeded =
        TrialPlanner.plan(request(params, SweepRequest.Search.RANDOM, 10, null), 42);
    assertThat(unseeded.seed()).isEqualTo(42);
    assertThat(parameters(unseeded)).isEqualTo(first);
  }

  @Test
  void shouldRefuseAGridLargerThanTheLimit() {
    LinkedHashMap<String, SweepParameter> params = new LinkedHashMap<>();
    params.put("training.learningRate", values(numbers(20)));
    params.put("training.batchSize", values(numbers(20)));

    assertThatThrownBy(() -> TrialPlanner.plan(request(params, null, null, null), 0))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.violations())
                    .containsExactly(
                        new FieldViolation(
                            "parameters",
                            "the grid has 400 combinations; at most 256 trials are allowed (use"
                                + " fewer values or RANDOM search)")));
  }

  @Test
  void shouldNameEachBadSweepField() {
    LinkedHashMap<String, SweepParameter> params = new LinkedHashMap<>();
    params.put("training..learningRate", values(NODES.numberNode(1)));
    params.put("training.l2", new SweepParameter(null, 0.1, 0.2, null));
    params.put("training.l1", new SweepParameter(List.of(), null, null, null));

    assertThatThrownBy(
            () ->
                TrialPlanner.plan(
                    new SweepRequest(
                        null, BASE, params, null, 5, 0, new Objective(" ", null), null),
                    0))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.violations().stream().map(FieldViolation::field))
                    .containsExactly(
                        "parameters['training..learningRate']",
                        "parameters['training.l2']",
                        "parameters['training.l1'].values",
                        "trials",
                        "maxParallel",
                        "objective.metric"));
  }

  @Test
  void shouldRequireTrialsForRandomAndPositiveBoundsForLog() {
    LinkedHashMap<String, SweepParameter> params = new LinkedHashMap<>();
    params.put("training.learningRate", new SweepParameter(null, 0, 1, SweepParameter.Scale.LOG));

    assertThatThrownBy(
            () -> TrialPlanner.plan(request(params, SweepRequest.Search.RANDOM, null, 1L), 0))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.violations().stream().map(FieldViolation::field))
                    .containsExactly("parameters['training.learningRate'].min", "trials"));
  }

  @Test
  void shouldMinimiseLossesUnlessToldOtherwise() {
    LinkedHashMap<String, SweepParameter> params = new LinkedHashMap<>();
    params.put("training.l2", values(NODES.numberNode(0.0)));
    SweepRequest loss =
        new SweepRequest(
            null, BASE, params, null, null, null, new Objective("test_loss", null), null);
    assertThat(TrialPlanner.plan(loss, 0).objective().mode()).isEqualTo(Objective.Mode.MIN);
  }

  static SweepParameter values(JsonNode... values) {
    return new SweepParameter(List.of(values), null, null, null);
  }

  static JsonNode[] numbers(int n) {
    JsonNode[] out = new JsonNode[n];
    for (int i = 0; i < n; i++) {
      out[i] = NODES.numberNode(i + 1);
    }
    return out;
  }

  static SweepRequest request(
      LinkedHashMap<String, SweepParameter> params,
      SweepRequest.Search search,
      Integer trials,
      Long seed) {
    return new SweepRequest(null, BASE, params, search, trials, null, null, seed);
  }

  static List<Map<String, JsonNode>> parameters(SweepPlan plan) {
    return plan.trials().stream().map(TrialPlan::parameters).toList();
  }
}
