package io.deeptrain.inference;

import io.deeptrain.system.OwnRequestBodyLimit;
import io.deeptrain.system.RequestBodyLimit;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * Refuses an inference body larger than {@code deeptrain.inference.max-request-size} with a 413
 * before it is parsed.
 */
@ControllerAdvice(annotations = OwnRequestBodyLimit.class)
class InferenceRequestLimit extends RequestBodyLimit {

  InferenceRequestLimit(InferenceProperties props) {
    super(props.maxRequestSize().toBytes(), true);
  }

  @Override
  protected String refusal(String size, long limit) {
    return "the request body has "
        + size
        + "; inference requests may have at most "
        + limit
        + " bytes (deeptrain.inference.max-request-size); send fewer inputs per request";
  }
}
