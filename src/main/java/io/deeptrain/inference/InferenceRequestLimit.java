package io.deeptrain.inference;

import io.deeptrain.system.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses an inference JSON body larger than {@code deeptrain.inference.max-request-size} with a
 * 413 before it is parsed: by its Content-Length, or, when sent chunked, once that many bytes have
 * been read.
 */
@ControllerAdvice(basePackageClasses = InferenceRequestLimit.class)
class InferenceRequestLimit extends RequestBodyAdviceAdapter {

  private final long limit;

  InferenceRequestLimit(InferenceProperties props) {
    this.limit = props.maxRequestSize().toBytes();
  }

  @Override
  public boolean supports(
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public HttpInputMessage beforeBodyRead(
      HttpInputMessage input,
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType)
      throws IOException {
    long length = input.getHeaders().getContentLength();
    if (length > limit) {
      throw tooLarge(length + " bytes");
    }
    if (length >= 0) {
      return input;
    }
    byte[] body;
    try (InputStream in = input.getBody()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    }
    if (body.length > limit) {
      throw tooLarge("more than " + limit + " bytes");
    }
    HttpHeaders headers = input.getHeaders();
    return new HttpInputMessage() {
      @Override
      public InputStream getBody() {
        return new ByteArrayInputStream(body);
      }

      @Override
      public HttpHeaders getHeaders() {
        return headers;
      }
    };
  }

  private ApiException tooLarge(String size) {
    return new ApiException(
        ApiException.Problem.PAYLOAD_TOO_LARGE,
        "the request body has "
            + size
            + "; inference requests may have at most "
            + limit
            + " bytes (deeptrain.inference.max-request-size); send fewer inputs per request");
  }
}
