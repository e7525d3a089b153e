package io.deeptrain.dataset;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** A PNG grid of training images, a few of each class, in class order. */
@Component
class DatasetPreview {

  static final int COLUMNS = 8;
  static final int MAX_IMAGES = 64;
  static final int GAP = 2;

  private final DatasetCatalog catalog;

  DatasetPreview(DatasetCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * @throws io.deeptrain.system.ApiException 404 unknown, 409 for a tabular dataset
   */
  byte[] png(String name) {
    ImageBlock block = catalog.images(name);
    int classes = catalog.find(name).orElseThrow().classes().size();
    int perClass = Math.max(1, MAX_IMAGES / classes);
    List<List<byte[]>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    int taken = 0;
    // The first images of each class, so the same dataset always previews the same way.
    for (int index : catalog.trainIndices(name)) {
      List<byte[]> bucket = byClass.get(block.labels()[index]);
      if (bucket.size() < perClass && taken < MAX_IMAGES) {
        bucket.add(block.image(index));
        taken++;
      }
      if (taken == Math.min(MAX_IMAGES, perClass * classes)) {
        break;
      }
    }
    List<byte[]> images = byClass.stream().flatMap(List::stream).toList();
    int rows = Math.max(1, (images.size() + COLUMNS - 1) / COLUMNS);
    byte[] grid =
        ImageCodec.grid(images, block.channels(), block.height(), block.width(), COLUMNS, GAP);
    return ImageCodec.encodePng(
        grid,
        block.channels(),
        ImageCodec.gridSize(rows, block.height(), GAP),
        ImageCodec.gridSize(COLUMNS, block.width(), GAP));
  }
}
