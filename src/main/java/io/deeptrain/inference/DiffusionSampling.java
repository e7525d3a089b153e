package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.generative.DiffusionModel;
import io.deeptrain.generative.GenerativeModel;
import io.deeptrain.generative.ImageGrids;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.spec.ModelSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.stereotype.Service;

/** Samples images from a registered diffusion model (the /sample endpoint). */
@Service
class DiffusionSampling {

  static final int MAX_IMAGES = 256;
  static final int DEFAULT_IMAGES = 16;

  private final ModelCache cache;
  private final ComputeBackend compute;

  DiffusionSampling(ModelCache cache, ComputeBackend compute) {
    this.cache = cache;
    this.compute = compute;
  }

  /** The images, their grid and (on request) the trajectory strip. */
  record Result(
      UUID modelId,
      DiffusionModel.Samples samples,
      DiffusionModel.Sampler sampler,
      int steps,
      long seed) {

    byte[] grid() {
      return ImageGrids.squareGrid(samples.images());
    }

    SampleResponse response(boolean raw) {
      String trajectory =
          samples.trajectory() == null
              ? null
              : Base64.getEncoder().encodeToString(ImageGrids.strip(samples.trajectory()));
      return new SampleResponse(
          GeneratedImages.of(modelId, samples.images(), grid(), raw),
          trajectory,
          sampler,
          steps,
          seed);
    }
  }

  Result sample(UUID modelId, SampleRequest request) {
    DiffusionModel model = diffusionModel(modelId);
    SampleRequest r =
        request == null ? new SampleRequest(null, null, null, null, null, null) : request;
    int t = model.timesteps();
    List<FieldViolation> violations = new ArrayList<>();
    int n = r.n() == null ? DEFAULT_IMAGES : r.n();
    if (n < 1 || n > MAX_IMAGES) {
      violations.add(new FieldViolation("n", "must be 1 to " + MAX_IMAGES + ", got " + n));
    }
    int steps = r.steps() == null ? Math.min(DiffusionModel.DEFAULT_STEPS, t) : r.steps();
    if (steps < 1 || steps > t) {
      violations.add(
          new FieldViolation(
              "steps", "must be 1 to " + t + " (the model's diffusion steps T), got " + steps));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    DiffusionModel.Sampler sampler =
        r.sampler() == null ? DiffusionModel.Sampler.DDIM : r.sampler();
    long seed = r.seed() == null ? ThreadLocalRandom.current().nextLong() : r.seed();
    // Request threads are not made by the compute backend: give this one its thread budget.
    compute.applyThreadsToCurrentThread();
    DiffusionModel.Samples samples =
        model.sample(n, steps, sampler, seed, Boolean.TRUE.equals(r.returnIntermediate()));
    return new Result(modelId, samples, sampler, steps, seed);
  }

  private DiffusionModel diffusionModel(UUID modelId) {
    LoadedModel loaded = cache.get(modelId);
    GenerativeModel generative = loaded.generative();
    if (generative instanceof DiffusionModel diffusion) {
      return diffusion;
    }
    ModelSpec spec = loaded.version().spec();
    String use =
        generative != null
            ? "/generate"
            : spec instanceof LstmSpec lstm && lstm.headOrDefault() == LstmSpec.Head.LANGUAGE_MODEL
                ? "/complete"
                : spec instanceof LstmSpec lstm && lstm.headOrDefault() == LstmSpec.Head.REGRESSION
                    ? "/forecast"
                    : "/classify";
    throw new ApiException(
        ApiException.Problem.INVALID_REQUEST,
        "model "
            + modelId
            + (generative != null
                ? " is a generative "
                : spec.type().startsWith("M") || spec.type().startsWith("L") ? " is an " : " is a ")
            + spec.type()
            + " model, not a diffusion model: /sample runs diffusion samplers only; use POST"
            + " /api/v1/models/"
            + modelId
            + use);
  }

  static void close(INDArray a) {
    if (a != null) {
      a.close();
    }
  }
}
