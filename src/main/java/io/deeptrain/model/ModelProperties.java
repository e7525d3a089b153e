package io.deeptrain.model;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Model uploads.
 *
 * @param maxUploadSize largest accepted model file, DL4J zip or Keras .h5 (Spring's multipart limit
 *     in application.yml should be at least this, so that this check and its message come first)
 */
@Validated
@ConfigurationProperties("deeptrain.models")
record ModelProperties(@DefaultValue("256MB") DataSize maxUploadSize) {}
