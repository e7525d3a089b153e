package io.deeptrain.dataset;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where datasets live and how large an upload may be.
 *
 * @param dir the data directory: every folder in it holding the four MNIST-style IDX files, or
 *     CIFAR-10 binary batches, becomes a dataset named after the folder; downloads land here too
 * @param systemDirs read-only folders searched the same way (a distribution's packaged datasets)
 * @param maxUploadSize largest accepted upload file (Spring's multipart limit should be at least
 *     this, see application.yml)
 * @param maxDecodedSize largest pixel block an image upload may decode to: a small zip of large or
 *     highly compressible images must not exhaust the heap
 * @param mnistUrl base URL of the canonical MNIST files, for the opt-in download
 * @param fashionMnistUrl base URL of the canonical Fashion-MNIST files, for the opt-in download
 * @param downloadTimeout connect and per-file timeout of the opt-in download
 */
@Validated
@ConfigurationProperties("deeptrain.datasets")
public record DatasetProperties(
    @DefaultValue("./data/datasets") Path dir,
    @DefaultValue("/usr/share/datasets") List<Path> systemDirs,
    @DefaultValue("256MB") DataSize maxUploadSize,
    @DefaultValue("1GB") DataSize maxDecodedSize,
    @DefaultValue("https://ossci-datasets.s3.amazonaws.com/mnist/") URI mnistUrl,
    @DefaultValue("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")
        URI fashionMnistUrl,
    @DefaultValue("60s") Duration downloadTimeout) {}
