package io.deeptrain.security;

import io.deeptrain.system.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a JSON body on the API larger than deeptrain.security.max-json-body-size with a 413
 * before it is parsed: by its Content-Length, or, sent chunked, once that many bytes were read.
 * Inference requests are left to deeptrain.inference.max-request-size, multipart uploads to their
 * own limits.
 */
final class JsonBodyLimit extends OncePerRequestFilter {

  private final long limit;

  JsonBodyLimit(long limit) {
    this.limit = limit;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = SecurityResponses.path(request);
    if (!(path.startsWith("/api/") || path.startsWith("/v2/"))
        || AccessRules.inference(request.getMethod(), path)) {
      return true;
    }
    String type = request.getContentType();
    if (type == null) {
      return true;
    }
    try {
      MediaType media = MediaType.parseMediaType(type);
      return !(MediaType.APPLICATION_JSON.isCompatibleWith(media)
          || media.getSubtype().endsWith("+json"));
    } catch (InvalidMediaTypeException e) {
      return true; // Spring MVC answers 415 for it
    }
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long length = request.getContentLengthLong();
    if (length > limit) {
      refuse(request, response, length + " bytes");
      return;
    }
    if (length >= 0) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    }
    if (body.length > limit) {
      refuse(request, response, "more than " + limit + " bytes");
      return;
    }
    chain.doFilter(new BufferedBody(request, body), response);
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, String size)
      throws IOException {
    SecurityResponses.write(
        request,
        response,
        ApiException.Problem.PAYLOAD_TOO_LARGE,
        "the JSON body has "
            + size
            + "; API requests may have at most "
            + limit
            + " bytes (deeptrain.security.max-json-body-size)",
        Map.of());
  }

  /** A request whose chunked body was read to count it, replayed from memory. */
  private static final class BufferedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    BufferedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already in memory");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      return new BufferedReader(
          new InputStreamReader(
              getInputStream(),
              encoding == null
                  ? StandardCharsets.UTF_8
                  : java.nio.charset.Charset.forName(encoding)));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
