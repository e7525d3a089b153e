package io.deeptrain.bench;

import io.deeptrain.generative.DiffusionKind;
import io.deeptrain.generative.DiffusionModel;
import io.deeptrain.generative.ImageGrids;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.json.JsonMapper;

/**
 * Samples 64 images from a diffusion artifact saved by {@link DiffusionFashionMnistRun} with each
 * sampler and step count given, timing each and writing one grid per setting.
 *
 * <p>Usage: {@code java ... DiffusionSampleGrids ARTIFACT SPEC_JSON OUT_PREFIX DDIM:50 DDPM:100
 * ...}
 */
public final class DiffusionSampleGrids {

  private DiffusionSampleGrids() {}

  public static void main(String[] args) throws Exception {
    ModelSpec spec = JsonMapper.builder().build().readValue(args[1], ModelSpec.class);
    ModelVersion version =
        new ModelVersion(
            UUID.randomUUID(),
            "grids",
            1,
            null,
            "fashion-mnist",
            spec,
            null,
            List.of(),
            List.of(1, 28, 28),
            null,
            null,
            null,
            null,
            Instant.now(),
            io.deeptrain.model.ModelSource.JOB,
            null,
            null);
    DiffusionModel model =
        (DiffusionModel) new DiffusionKind().load(version, Files.readAllBytes(Path.of(args[0])));
    for (int i = 3; i < args.length; i++) {
      String[] setting = args[i].split(":");
      long t0 = System.nanoTime();
      INDArray images =
          model
              .sample(
                  64,
                  Integer.parseInt(setting[1]),
                  DiffusionModel.Sampler.valueOf(setting[0]),
                  7,
                  false)
              .images();
      System.out.printf(
          "%s %s steps: %.1f s%n", setting[0], setting[1], (System.nanoTime() - t0) / 1e9);
      Files.write(
          Path.of(args[2] + "-" + setting[0] + setting[1] + ".png"), ImageGrids.squareGrid(images));
    }
  }
}
