package io.deeptrain.dataset;

import io.deeptrain.system.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Data a job can train on")
class DatasetController {

  private final DatasetCatalog catalog;

  DatasetController(DatasetCatalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping
  @Operation(summary = "List datasets")
  List<DatasetView> list() {
    return catalog.list().stream().map(DatasetView::from).toList();
  }

  @GetMapping("/{name}")
  @Operation(summary = "Describe a dataset: input shape, features, classes and default split")
  DatasetView describe(@PathVariable String name) {
    return catalog
        .find(name)
        .map(DatasetView::from)
        .orElseThrow(() -> ApiException.notFound("dataset", name));
  }
}
