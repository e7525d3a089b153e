package io.deeptrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.deeptrain.client.ApiClient;
import io.deeptrain.client.ApiException;
import io.deeptrain.client.api.DatasetsApi;
import io.deeptrain.client.api.InferenceApi;
import io.deeptrain.client.api.JobsApi;
import io.deeptrain.client.model.ClassifyRequest;
import io.deeptrain.client.model.ClassifyResponse;
import io.deeptrain.client.model.DatasetView;
import io.deeptrain.client.model.DenseLayerSpec;
import io.deeptrain.client.model.JobView;
import io.deeptrain.client.model.MetricSeries;
import io.deeptrain.client.model.MetricsResponse;
import io.deeptrain.client.model.MlpSpec;
import io.deeptrain.client.model.Prediction;
import io.deeptrain.client.model.SubmitJobRequest;
import io.deeptrain.client.model.TrainingSpec;
import io.deeptrain.fixtures.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The published contract is usable by a real tool: a Java client generated from
 * openapi/openapi.yaml by openapi-generator (pom.xml, into target/generated-test-sources) drives
 * the running service through the README's iris walk-through.
 */
@IntegrationTest
class GeneratedClientIntegrationTests {

  private static final int EPOCHS = 30;

  @LocalServerPort int port;

  @Test
  void shouldTrainAndClassifyIrisThroughTheGeneratedClient() throws Exception {
    ApiClient client = new ApiClient().setHost("localhost").setPort(port);

    List<DatasetView> datasets = new DatasetsApi(client).listDatasets();
    DatasetView iris =
        datasets.stream().filter(d -> d.getName().equals("iris")).findFirst().orElseThrow();
    assertThat(iris.getClasses()).containsExactly("setosa", "versicolor", "virginica");
    assertThat(iris.getInputShape()).containsExactly(4);

    JobsApi jobs = new JobsApi(client);
    MlpSpec spec = new MlpSpec();
    spec.layers(
        List.of(
            new DenseLayerSpec().units(16).activation(DenseLayerSpec.ActivationEnum.RELU),
            new DenseLayerSpec().units(16).activation(DenseLayerSpec.ActivationEnum.RELU)));
    JobView submitted =
        jobs.submit(
            new SubmitJobRequest()
                .name("iris-mlp-client")
                .dataset("iris")
                .spec(spec)
                .training(
                    new TrainingSpec()
                        .epochs(EPOCHS)
                        .batchSize(16)
                        .optimizer(TrainingSpec.OptimizerEnum.ADAM)
                        .learningRate(0.01)
                        .seed(2L)));
    assertThat(submitted.getStatus()).isIn(JobView.StatusEnum.QUEUED, JobView.StatusEnum.RUNNING);

    JobView done = awaitFinished(jobs, submitted);
    assertThat(done.getStatus())
        .as("error: %s", done.getError())
        .isEqualTo(JobView.StatusEnum.SUCCEEDED);
    assertThat(done.getModelId()).isNotNull();

    MetricsResponse metrics = jobs.metrics(done.getId(), "test_accuracy", null, null);
    MetricSeries accuracy = metrics.getSeries().get(0);
    assertThat(accuracy.getName()).isEqualTo("test_accuracy");
    assertThat(accuracy.getPoints()).hasSize(EPOCHS);
    assertThat(accuracy.getPoints().get(EPOCHS - 1).getValue()).isGreaterThanOrEqualTo(0.9);

    // One flower of each species from iris.csv, in the dataset's column order.
    ClassifyResponse classified =
        new InferenceApi(client)
            .classifyFiles(
                done.getModelId().toString(),
                new ClassifyRequest()
                    .instances(
                        List.of(
                            List.of(5.1, 3.5, 1.4, 0.2),
                            List.of(6.4, 3.2, 4.5, 1.5),
                            List.of(7.7, 3.8, 6.7, 2.2)))
                    .topK(2),
                // the topK query parameter belongs to the multipart form of this operation
                null);
    assertThat(classified.getModelId()).isEqualTo(done.getModelId());
    assertThat(classified.getPredictions())
        .extracting(Prediction::getLabel)
        .containsExactly("setosa", "versicolor", "virginica");
    assertThat(classified.getPredictions().get(0).getTop()).hasSize(2);
  }

  @Test
  void shouldSurfaceProblemDetailsAsApiExceptions() {
    ApiClient client = new ApiClient().setHost("localhost").setPort(port);
    try {
      new DatasetsApi(client).describe("no-such-dataset");
      fail("an unknown dataset was found");
    } catch (ApiException e) {
      assertThat(e.getCode()).isEqualTo(404);
      assertThat(e.getResponseBody()).contains("no-such-dataset");
    }
  }

  private static JobView awaitFinished(JobsApi jobs, JobView job) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    JobView last = job;
    while (Instant.now().isBefore(deadline)) {
      last = jobs.getJob(job.getId());
      if (last.getStatus() == JobView.StatusEnum.SUCCEEDED
          || last.getStatus() == JobView.StatusEnum.FAILED
          || last.getStatus() == JobView.StatusEnum.CANCELLED) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job did not finish in 3 minutes: " + last);
  }
}
