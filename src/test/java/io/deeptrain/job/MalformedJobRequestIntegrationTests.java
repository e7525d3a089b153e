package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Bad requests get a problem detail naming the field and what is allowed, and queue nothing. */
@IntegrationTest
class MalformedJobRequestIntegrationTests {

  static final String SPEC =
      "{\"type\":\"MLP\",\"layers\":[{\"units\":8,\"activation\":\"RELU\"}]}";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("empty body", "", "$", "missing"),
        Arguments.of("not JSON", "{\"dataset\": iris}", "$", "not valid JSON"),
        Arguments.of("no dataset", "{\"spec\":" + SPEC + "}", "dataset", "is required; available:"),
        Arguments.of(
            "unknown dataset",
            "{\"dataset\":\"irís\",\"spec\":" + SPEC + "}",
            "dataset",
            "unknown dataset 'irís'; available:"),
        Arguments.of("no spec", "{\"dataset\":\"iris\"}", "spec", "allowed types: MLP"),
        Arguments.of(
            "unknown type",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"PERCEPTRONX\",\"layers\":[]}}",
            "spec.type",
            "allowed: MLP"),
        Arguments.of(
            "no type",
            "{\"dataset\":\"iris\",\"spec\":{\"layers\":[{\"units\":8}]}}",
            "spec.type",
            "required"),
        Arguments.of(
            "no layers",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\"}}",
            "spec.layers",
            "1 to 64"),
        Arguments.of(
            "empty layers",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\",\"layers\":[]}}",
            "spec.layers",
            "1 to 64"),
        Arguments.of(
            "zero units",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":8},{\"units\":0}]}}",
            "spec.layers[1].units",
            "between 1 and 65536"),
        Arguments.of(
            "too many units",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":100000}]}}",
            "spec.layers[0].units",
            "between 1 and 65536"),
        Arguments.of(
            "unknown activation",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":8,\"activation\":\"RELUX\"}]}}",
            "spec.layers[0].activation",
            "allowed: RELU"),
        Arguments.of(
            "units not a number",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":\"many\"}]}}",
            "spec.layers[0].units",
            "integer"),
        Arguments.of(
            "dropout out of range",
            "{\"dataset\":\"iris\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":8}],\"dropout\":1.5}}",
            "spec.dropout",
            ">= 0 and < 1"),
        Arguments.of(
            "zero epochs", job("{\"epochs\":0}"), "training.epochs", "between 1 and 10000"),
        Arguments.of(
            "negative batch",
            job("{\"batchSize\":-1}"),
            "training.batchSize",
            "between 1 and 65536"),
        Arguments.of(
            "zero learning rate", job("{\"learningRate\":0}"), "training.learningRate", "> 0"),
        Arguments.of(
            "unknown optimizer",
            job("{\"optimizer\":\"ADAMW\"}"),
            "training.optimizer",
            "allowed: SGD, MOMENTUM, NESTEROV, ADAM"),
        Arguments.of(
            "misspelt field",
            job("{\"learningrate\":0.1}"),
            "training.learningrate",
            "known fields"),
        Arguments.of(
            "momentum of one",
            job("{\"optimizer\":\"MOMENTUM\",\"momentum\":1.0}"),
            "training.momentum",
            "< 1"),
        Arguments.of(
            "test fraction of one",
            job("{\"testFraction\":1.0}"),
            "training.testFraction",
            "<= 0.9"),
        Arguments.of(
            "priority too high",
            "{\"dataset\":\"iris\",\"priority\":5000,\"spec\":" + SPEC + "}",
            "priority",
            "between -1000 and 1000"));
  }

  private static String job(String training) {
    return "{\"dataset\":\"iris\",\"spec\":" + SPEC + ",\"training\":" + training + "}";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void shouldRejectWithAProblemDetailNamingTheField(
      String label, String body, String field, String hint) {
    long before = jobCount();
    Api.Response r = api.post("/api/v1/jobs", body);

    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = r.body();
    assertThat(problem.path("type").asText())
        .isEqualTo("https://deeptrain.io/problems/invalid-request");
    assertThat(problem.path("title").asText()).isEqualTo("Invalid request");
    assertThat(problem.path("status").asInt()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertThat(fields).as(r.raw()).contains(field);
    assertThat(problem.path("detail").asText()).as(r.raw()).contains(hint);
    assertThat(r.raw()).doesNotContain("Exception").doesNotContain("at io.deeptrain");
    assertThat(jobCount()).isEqualTo(before);
  }

  @Test
  void shouldListEveryViolationAtOnce() {
    Api.Response r =
        api.post(
            "/api/v1/jobs",
            "{\"dataset\":\"nope\",\"spec\":{\"type\":\"MLP\",\"layers\":[{\"units\":0}]},\"training\":{\"epochs\":0}}");
    assertThat(r.status()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    r.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertThat(fields).containsExactly("dataset", "spec.layers[0].units", "training.epochs");
  }

  @Test
  void shouldAnswerUnknownIdsAndBadIdsWithProblemDetails() {
    Api.Response missing = api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().path("type").asText()).endsWith("/not-found");
    assertThat(missing.body().path("detail").asText())
        .contains("job '00000000-0000-0000-0000-000000000000' does not exist");

    Api.Response bad = api.get("/api/v1/jobs/not-a-uuid");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().path("errors").get(0).path("field").asText()).isEqualTo("id");

    assertThat(api.get("/api/v1/models/00000000-0000-0000-0000-000000000000").status())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/metrics").status())
        .isEqualTo(404);
    assertThat(
            api.post(
                    "/api/v1/models/00000000-0000-0000-0000-000000000000/classify",
                    "{\"instances\":[[1,2,3,4]]}")
                .status())
        .isEqualTo(404);
  }

  private long jobCount() {
    return jdbc.sql("SELECT count(*) FROM jobs").query(Long.class).single();
  }
}
