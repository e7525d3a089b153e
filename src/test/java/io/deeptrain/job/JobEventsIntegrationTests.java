package io.deeptrain.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deeptrain.fixtures.Api;
import io.deeptrain.fixtures.IntegrationTest;
import io.deeptrain.fixtures.Jobs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** GET /api/v1/jobs/{id}/events as an EventSource client sees it. */
@IntegrationTest
class JobEventsIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> ORDER = List.of("QUEUED", "RUNNING", "SUCCEEDED");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired JobEventStreams streams;
  @Autowired EventProperties props;
  Api api;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() {
    api = new Api(port);
  }

  record Event(String id, String name, JsonNode data) {}

  /** Reads events until the stream ends or {@code stop} holds for the events so far. */
  List<Event> read(UUID job, String lastEventId, Predicate<List<Event>> stop) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/jobs/" + job + "/events"))
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    List<Event> events = new ArrayList<>();
    try {
      HttpResponse<InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).as("GET events of %s", job).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/event-stream");
      try (InputStream body = response.body();
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.isEmpty()) {
            if (!data.isEmpty()) {
              events.add(new Event(id, name, JSON.readTree(data.toString())));
              if (stop.test(events)) {
                return events;
              }
            }
            name = "message";
            data.setLength(0);
          } else if (line.startsWith("id:")) {
            id = line.substring(3).strip();
          } else if (line.startsWith("event:")) {
            name = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5));
          }
        }
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<JsonNode> points(List<Event> events) {
    List<JsonNode> points = new ArrayList<>();
    events.stream()
        .filter(e -> e.name().equals("metric"))
        .forEach(e -> e.data().forEach(points::add));
    return points;
  }

  @Test
  void shouldStreamStatusAndEveryMetricPointOnceAndResumeAfterTheLastEventId() {
    UUID id =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(40)).body().path("id").asText());

    // First connection: until some points arrived, then the client drops.
    List<Event> first = read(id, null, ev -> points(ev).size() >= 30);
    Event current = first.stream().filter(e -> e.name().equals("status")).findFirst().orElseThrow();
    assertThat(current.data().path("id").asText()).isEqualTo(id.toString());
    String lastId = first.get(first.size() - 1).id();

    // Second connection resumes after it and runs to the end of the job.
    List<Event> second = read(id, lastId, ev -> false);
    Event last = second.get(second.size() - 1);
    assertThat(last.name()).isEqualTo("status");
    assertThat(last.data().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(last.data().path("progress").path("epochsDone").asInt()).isEqualTo(40);

    List<Event> all = new ArrayList<>(first);
    all.addAll(second);
    List<String> statuses =
        all.stream()
            .filter(e -> e.name().equals("status"))
            .map(e -> e.data().path("status").asText())
            .toList();
    assertThat(statuses.get(0)).isIn("QUEUED", "RUNNING");
    assertThat(statuses).isSortedAccordingTo((a, b) -> ORDER.indexOf(a) - ORDER.indexOf(b));
    List<Integer> epochs =
        all.stream()
            .filter(e -> e.name().equals("status"))
            .map(e -> e.data().path("progress").path("epochsDone").asInt())
            .toList();
    assertThat(epochs).isSorted();

    // Every point of the job exactly once, in write order.
    List<JsonNode> streamed = points(all);
    List<Long> seqs = streamed.stream().map(p -> p.path("seq").asLong()).toList();
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    Set<String> keys = new HashSet<>();
    streamed.forEach(p -> keys.add(p.path("name").asText() + "@" + p.path("step").asLong()));
    assertThat(keys).hasSize(streamed.size());
    List<String> stored =
        jdbc.sql("SELECT name || '@' || step FROM metric_points WHERE job_id = :id")
            .param("id", id)
            .query(String.class)
            .list();
    assertThat(keys).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(keys).contains("learning_rate@40", "test_accuracy@40", "loss@10");
    // The streamed values are the stored ones.
    JsonNode loss =
        streamed.stream()
            .filter(p -> p.path("name").asText().equals("test_loss"))
            .reduce((a, b) -> b)
            .orElseThrow();
    double storedLoss =
        jdbc.sql(
                "SELECT value FROM metric_points WHERE job_id = :id AND name = 'test_loss' AND step = 40")
            .param("id", id)
            .query(Double.class)
            .single();
    assertThat(loss.path("value").asDouble()).isEqualTo(storedLoss);

    // Nothing left after the last event: 204, which tells EventSource not to reconnect.
    HttpResponse<byte[]> again = eventsAfter(id, last.id());
    assertThat(again.statusCode()).isEqualTo(204);
    // From the start, a finished job replays everything and ends.
    assertThat(points(read(id, null, ev -> false))).hasSize(streamed.size());
  }

  @Test
  void shouldRefuseAStreamBeyondTheLimitWith503AndExplainWhy() throws IOException {
    UUID id =
        UUID.fromString(api.post("/api/v1/jobs", Jobs.slowWineMlp(200)).body().path("id").asText());
    List<InputStream> held = new ArrayList<>();
    try {
      while (streams.openStreams() < props.maxStreams()) {
        HttpResponse<InputStream> r = open(id, null);
        assertThat(r.statusCode()).isEqualTo(200);
        held.add(r.body());
      }
      HttpResponse<byte[]> refused = eventsAfter(id, null);
      assertThat(refused.statusCode()).isEqualTo(503);
      JsonNode problem = JSON.readTree(refused.body());
      assertThat(problem.path("title").asText()).isEqualTo("Too many event streams");
      assertThat(problem.path("detail").asText()).contains("deeptrain.events.max-streams");
    } finally {
      for (InputStream in : held) {
        in.close();
      }
      // A cancelled job ends its streams, so later tests start with none open.
      api.post("/api/v1/jobs/" + id + "/cancel", "");
      api.awaitStatus(id, "CANCELLED", Duration.ofMinutes(1));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (streams.openStreams() > 0 && System.nanoTime() < deadline) {
        Api.sleep(50);
      }
    }
    assertThat(streams.openStreams()).isZero();
  }

  @Test
  void shouldAnswer404ForAnUnknownJobAnd400ForAForeignLastEventId() throws IOException {
    assertThat(eventsAfter(UUID.randomUUID(), null).statusCode()).isEqualTo(404);
    UUID id = UUID.fromString(api.post("/api/v1/jobs", Jobs.irisMlp(2)).body().path("id").asText());
    HttpResponse<byte[]> bad = eventsAfter(id, "yesterday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("detail").asText()).contains("Last-Event-ID");
  }

  private HttpResponse<InputStream> open(UUID job, String lastEventId) {
    try {
      return http.send(request(job, lastEventId), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<byte[]> eventsAfter(UUID job, String lastEventId) {
    try {
      return http.send(request(job, lastEventId), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest request(UUID job, String lastEventId) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/jobs/" + job + "/events"))
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(60));
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return b.build();
  }
}
