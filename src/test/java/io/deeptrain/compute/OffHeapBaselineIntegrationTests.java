package io.deeptrain.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * 100 jobs in a row on one worker (with classify requests between them): ND4J's off-heap memory
 * settles, it does not climb with each job.
 */
@IntegrationTest
// Room for ~5 of these models: the classify requests load new ones and evict old ones, so eviction
// must free them too.
@TestPropertySource(properties = "deeptrain.inference.cache-max-bytes=6MB")
class OffHeapBaselineIntegrationTests {

  static final int JOBS = 100;

  static final String WIDE_IRIS_MLP =
      """
      {"name":"iris-wide","dataset":"iris",
       "spec":{"type":"MLP","layers":[{"units":512,"activation":"RELU"},{"units":512,"activation":"RELU"}]},
       "training":{"epochs":1,"batchSize":16,"optimizer":"ADAM","learningRate":0.01,"seed":2}}""";

  @LocalServerPort int port;

  @Test
  void shouldReturnOffHeapMemoryToItsBaselineAcross100Jobs() {
    Api api = new Api(port);
    // JavaCPP's own count (the deeptrain_nd4j_offheap_bytes gauge) and the process's resident
    // bytes.
    List<Long> total = new ArrayList<>();
    List<Long> physical = new ArrayList<>();
    for (int i = 1; i <= JOBS; i++) {
      Api.Response submitted = api.post("/api/v1/jobs", WIDE_IRIS_MLP);
      assertThat(submitted.status()).as("job %d", i).isEqualTo(202);
      UUID id = UUID.fromString(submitted.body().path("id").asText());
      JsonNode done =
          api.awaitJob(
              id,
              j -> j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"),
              Duration.ofSeconds(60));
      assertThat(done.path("status").asText()).as("job %d: %s", i, done).isEqualTo("SUCCEEDED");
      if (i % 10 == 0) {
        Api.Response classified =
            api.post(
                "/api/v1/models/" + done.path("modelId").asText() + "/classify",
                "{\"instances\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}");
        assertThat(classified.status()).as("classify after job %d", i).isEqualTo(200);
      }
      settle();
      total.add(Pointer.totalBytes());
      physical.add(Pointer.physicalBytes());
    }
    long heap =
        java.lang.management.ManagementFactory.getMemoryMXBean()
            .getHeapMemoryUsage()
            .getCommitted();
    System.out.printf(
        "off-heap after 100 jobs: resident after job 1 %d, job 20 %d, job 100 %d, max %d,"
            + " slope(20..100) %.0f B/job, heap committed %d; JavaCPP totalBytes %s%n",
        physical.get(0),
        physical.get(19),
        physical.get(JOBS - 1),
        physical.stream().mapToLong(x -> x).max().orElseThrow(),
        slope(physical, 20),
        heap,
        total);
    // On the CPU backend ND4J's buffers are native allocations JavaCPP does not count (totalBytes
    // stays at a few KB), so the process's resident bytes are what would grow. Each job's network
    // is ~1 MB of parameters (+2 MB Adam state, +1 MB gradients): leaking even only the parameters
    // adds >= 1 MB per job. Measured on 2 busy cores: slope 0.16-0.29 MB/job, decelerating (JIT,
    // metaspace, malloc arenas warming up), and +13-23 MB from job 20 to job 100.
    assertThat(slope(physical, 20)).as("resident bytes per job, jobs 20..100").isLessThan(1 << 20);
    assertThat(physical.get(JOBS - 1) - physical.get(19))
        .as("resident growth from job 20 to job 100")
        .isLessThan(64L << 20);
  }

  /**
   * ND4J frees off-heap buffers when their Java objects are collected: collect, then let the
   * deallocator thread catch up.
   */
  private static void settle() {
    System.gc();
    Api.sleep(100);
  }

  /** Least-squares slope of values[from-1 ..] against job number, in bytes per job. */
  static double slope(List<Long> values, int from) {
    int n = values.size() - from + 1;
    double mx = 0;
    double my = 0;
    for (int i = from; i <= values.size(); i++) {
      mx += i;
      my += values.get(i - 1);
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = from; i <= values.size(); i++) {
      sxy += (i - mx) * (values.get(i - 1) - my);
      sxx += (i - mx) * (i - mx);
    }
    return sxy / sxx;
  }
}
