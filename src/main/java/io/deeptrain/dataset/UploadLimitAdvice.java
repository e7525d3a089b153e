package io.deeptrain.dataset;

import io.deeptrain.system.ApiException;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * Spring's multipart limit as the same 413 problem as our own upload limit, instead of the
 * framework's generic one. Ordered first so it wins over ProblemDetailsAdvice; belongs there once
 * that class may be changed.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UploadLimitAdvice {

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException ex) {
    ApiException.Problem p = ApiException.Problem.PAYLOAD_TOO_LARGE;
    String limit = ex.getMaxUploadSize() > 0 ? " of " + (ex.getMaxUploadSize() >> 10) + " KB" : "";
    ProblemDetail pd =
        ProblemDetail.forStatusAndDetail(
            p.status(),
            "the request exceeds the upload limit"
                + limit
                + " (spring.servlet.multipart.max-file-size / max-request-size)");
    pd.setType(URI.create(p.typeUri()));
    pd.setTitle(p.title());
    return ResponseEntity.status(p.status()).body(pd);
  }
}
