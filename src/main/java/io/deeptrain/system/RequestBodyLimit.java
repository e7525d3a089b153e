package io.deeptrain.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses a request body larger than a limit with a 413 before it is parsed: by its Content-Length,
 * or, sent chunked, once one byte more than the limit has been read. A feature declares its limit
 * as a {@code @ControllerAdvice} subclass. The API-wide limit ({@link #ownLimit} false) leaves
 * alone the controllers marked {@link OwnRequestBodyLimit}, whose bodies another subclass limits.
 */
public abstract class RequestBodyLimit extends RequestBodyAdviceAdapter {

  private final long limit;
  private final boolean ownLimit;

  /**
   * @param ownLimit true for the limit of the controllers marked {@link OwnRequestBodyLimit}, false
   *     for the API-wide one
   */
  protected RequestBodyLimit(long limit, boolean ownLimit) {
    this.limit = limit;
    this.ownLimit = ownLimit;
  }

  /** The problem's detail, given the body's size ("N bytes" or "more than N bytes"). */
  protected abstract String refusal(String size, long limit);

  @Override
  public boolean supports(
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType) {
    return ownLimit
        == AnnotatedElementUtils.hasAnnotation(
            parameter.getContainingClass(), OwnRequestBodyLimit.class);
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
    return new ApiException(ApiException.Problem.PAYLOAD_TOO_LARGE, refusal(size, limit));
  }
}
