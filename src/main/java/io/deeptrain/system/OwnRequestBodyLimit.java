package io.deeptrain.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks controllers whose request bodies a feature limits itself (inference takes far larger bodies
 * than the rest of the API); see {@link RequestBodyLimit}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface OwnRequestBodyLimit {}
