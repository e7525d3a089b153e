package io.deeptrain.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Catalogs with a small synthetic image dataset, for training tests outside this package. */
public final class ImageCatalogs {

  private ImageCatalogs() {}

  /** The built-ins and the distribution's packaged datasets (fashion-mnist from Debian). */
  public static DatasetCatalog withSystemDatasets() {
    return new DatasetCatalog(List.of(Path.of("/usr/share/datasets")), null);
  }

  /** A catalog holding the built-ins and {@code name}: 1 x h x w images in an IDX folder. */
  public static DatasetCatalog withIdxImages(
      Path dir, String name, int train, int test, int h, int w) {
    try {
      ImageDatasetTests.writeMnistFolder(
          Files.createDirectories(dir.resolve(name)), train, test, h, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new DatasetCatalog(List.of(dir), null);
  }
}
