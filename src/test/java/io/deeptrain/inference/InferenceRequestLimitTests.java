package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.system.ApiException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.util.unit.DataSize;

class InferenceRequestLimitTests {

  final InferenceRequestLimit limit =
      new InferenceRequestLimit(
          new InferenceProperties(
              DataSize.ofGigabytes(1),
              Duration.ofSeconds(30),
              Duration.ofSeconds(30),
              1,
              List.of("production"),
              Duration.ofMinutes(5),
              4096,
              DataSize.ofBytes(100),
              Duration.ofSeconds(10),
              new InferenceProperties.Batching(32, Duration.ofMillis(2), 256)));

  static HttpInputMessage body(String json, boolean withLength) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    HttpHeaders headers = new HttpHeaders();
    if (withLength) {
      headers.setContentLength(bytes.length);
    }
    return new HttpInputMessage() {
      @Override
      public InputStream getBody() {
        return new ByteArrayInputStream(bytes);
      }

      @Override
      public HttpHeaders getHeaders() {
        return headers;
      }
    };
  }

  @Test
  void shouldRefuseABodyLargerThanTheLimitWith413NamingTheProperty() {
    String big = "{\"instances\":[[" + "0.5,".repeat(40) + "0.5]]}";

    for (boolean withLength : new boolean[] {true, false}) {
      assertThatThrownBy(() -> limit.beforeBodyRead(body(big, withLength), null, null, null))
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("deeptrain.inference.max-request-size")
          .satisfies(
              e ->
                  assertThat(((ApiException) e).problem())
                      .isEqualTo(ApiException.Problem.PAYLOAD_TOO_LARGE));
    }
  }

  @Test
  void shouldPassABodyWithinTheLimitUnchanged() throws Exception {
    String small = "{\"instances\":[[0.5,0.5]]}";

    for (boolean withLength : new boolean[] {true, false}) {
      HttpInputMessage passed = limit.beforeBodyRead(body(small, withLength), null, null, null);
      assertThat(new String(passed.getBody().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(small);
    }
  }
}
