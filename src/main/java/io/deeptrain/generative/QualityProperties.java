package io.deeptrain.generative;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How generative models' samples are measured ({@link SampleQuality}) and how each dataset's
 * reference classifier is trained. Changing a reference setting trains a new reference on first use
 * (it is part of the stored fingerprint).
 *
 * @param samples generated (and noise) images measured per model
 * @param testImages test images the samples are compared with; also split in half for the floor
 * @param referenceEpochs epochs the reference classifier trains
 * @param referenceMaxTrainExamples training images the reference sees (0: all); tests use few
 * @param referenceSeed seed of the reference's initialisation, shuffling and test-image subset
 */
@Validated
@ConfigurationProperties("deeptrain.quality")
public record QualityProperties(
    @DefaultValue("1000") @Min(2) @Max(100_000) int samples,
    @DefaultValue("2000") @Min(4) @Max(100_000) int testImages,
    @DefaultValue("2") @Min(1) @Max(100) int referenceEpochs,
    @DefaultValue("0") @Min(0) int referenceMaxTrainExamples,
    @DefaultValue("20240601") long referenceSeed) {}
