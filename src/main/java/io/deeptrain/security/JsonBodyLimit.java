package io.deeptrain.security;

import io.deeptrain.system.RequestBodyLimit;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * Refuses an API request body larger than deeptrain.security.max-json-body-size with a 413 before
 * it is parsed, in both security modes. Inference controllers have their own, larger limit;
 * multipart uploads theirs.
 */
@ControllerAdvice
class JsonBodyLimit extends RequestBodyLimit {

  JsonBodyLimit(SecurityProperties props) {
    super(props.maxJsonBodySize().toBytes(), false);
  }

  @Override
  protected String refusal(String size, long limit) {
    return "the JSON body has "
        + size
        + "; API requests may have at most "
        + limit
        + " bytes (deeptrain.security.max-json-body-size)";
  }
}
