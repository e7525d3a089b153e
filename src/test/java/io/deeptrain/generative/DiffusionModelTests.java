package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deeptrain.dataset.DatasetSplit;
import io.deeptrain.dataset.ImageCatalogs;
import io.deeptrain.spec.DiffusionSpec;
import io.deeptrain.spec.DiffusionSpec.BetaSchedule;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class DiffusionModelTests {

  static final DiffusionSpec TINY = new DiffusionSpec(50, BetaSchedule.COSINE, List.of(4, 8), 16);
  static final List<Integer> MNIST = List.of(1, 28, 28);

  @Test
  void shouldNoiseImagesWithTheForwardProcessStatistics() {
    NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.LINEAR, 1000);
    int t = 300;
    double ab = schedule.alphaBar(t);
    int[] times = new int[64];
    Arrays.fill(times, t);
    // Every pixel 1.0, i.e. x0 = +1 after scaling to [-1, 1].
    INDArray white = Nd4j.ones(64, 1, 28, 28);
    MultiDataSet step =
        DiffusionTrainer.noised(white, times, schedule, 16, new SplittableRandom(3));
    float[] xt = step.getFeatures(0).data().asFloat();
    float[] eps = step.getLabels(0).data().asFloat();

    double mean = Arrays.stream(toDouble(xt)).average().orElseThrow();
    double var =
        Arrays.stream(toDouble(xt)).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
    assertThat(mean).isCloseTo(Math.sqrt(ab), within(0.01));
    assertThat(var).isCloseTo(1 - ab, within(0.02));
    double epsMean = Arrays.stream(toDouble(eps)).average().orElseThrow();
    double epsVar = Arrays.stream(toDouble(eps)).map(v -> v * v).average().orElseThrow();
    assertThat(epsMean).isCloseTo(0, within(0.01));
    assertThat(epsVar).isCloseTo(1, within(0.02));
    for (int i = 0; i < xt.length; i += 997) {
      assertThat((double) xt[i])
          .isCloseTo(Math.sqrt(ab) + Math.sqrt(1 - ab) * eps[i], within(1e-5));
    }
    assertThat(step.getFeatures(1).shape()).containsExactly(64, 16);
  }

  @Test
  void shouldPredictNoiseOfTheImageShapeAtEveryDepth() {
    for (List<Integer> shape : List.of(MNIST, List.of(3, 32, 32))) {
      for (List<Integer> channels : List.of(List.of(4), List.of(4, 8), List.of(4, 8, 8))) {
        SameDiff graph = Denoiser.build(new DiffusionSpec(10, null, channels, 8), shape, 1);
        INDArray x = Nd4j.rand(3, shape.get(0), shape.get(1), shape.get(2));
        INDArray out =
            graph.outputSingle(
                Map.of(
                    Denoiser.NOISY,
                    x,
                    Denoiser.TIME,
                    Denoiser.timeEmbedding(new int[] {0, 4, 9}, 8)),
                Denoiser.PREDICTED);

        assertThat(out.shape())
            .as("%s with %s", shape, channels)
            .containsExactly(3, shape.get(0), shape.get(1), shape.get(2));
      }
    }
  }

  @Test
  void shouldLearnToPredictTheNoiseOnFashionMnist() {
    DatasetSplit data = ImageCatalogs.withSystemDatasets().open("fashion-mnist", 0.2, 1);
    int[] rows = io.deeptrain.training.EpochOrder.sample(data.train().size(), 320, 1);
    DiffusionSpec spec = new DiffusionSpec(100, BetaSchedule.COSINE, List.of(8, 16), 16);
    NoiseSchedule schedule = NoiseSchedule.of(spec.betaScheduleOrDefault(), 100);
    SameDiff graph = Denoiser.build(spec, MNIST, 1);
    graph.setTrainingConfig(
        DiffusionTrainer.trainingConfig(
            io.deeptrain.fixtures.TrainingFixtures.training(
                io.deeptrain.spec.Optimizer.ADAM, 0.002, 1, 32, 1)));
    double before = DiffusionTrainer.testLoss(graph, data.train(), rows, schedule, 16, 9);

    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 50; i++) {
      int[] batch = Arrays.copyOfRange(rows, (i % 10) * 32, (i % 10) * 32 + 32);
      try (INDArray images = data.train().features(batch)) {
        graph.fit(DiffusionTrainer.noised(images, schedule, 16, random));
      }
    }
    double after = DiffusionTrainer.testLoss(graph, data.train(), rows, schedule, 16, 9);

    assertThat(before).isGreaterThan(0.3);
    assertThat(after).as("loss before %s", before).isLessThan(before * 0.7);
  }

  @Test
  void shouldGiveTheSameImagesForTheSameSeedWithEitherSampler() {
    DiffusionModel model = new DiffusionModel(Denoiser.build(TINY, MNIST, 2), TINY, MNIST, null);

    for (DiffusionModel.Sampler sampler : DiffusionModel.Sampler.values()) {
      INDArray a = model.sample(5, 10, sampler, 42, false).images();
      INDArray b = model.sample(5, 10, sampler, 42, false).images();
      INDArray c = model.sample(5, 10, sampler, 43, false).images();
      INDArray firstTwo = model.sample(2, 10, sampler, 42, false).images();

      assertThat(a.shape()).containsExactly(5, 1, 28, 28);
      assertThat(a).as(sampler.name()).isEqualTo(b);
      assertThat(a).isNotEqualTo(c);
      assertThat(a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2))).isEqualTo(firstTwo);
      assertThat(a.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
      assertThat(a.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
    }
    assertThat(model.generate(3, 7))
        .isEqualTo(model.sample(3, 50, DiffusionModel.Sampler.DDPM, 7, false).images());
  }

  @Test
  void shouldReturnATrajectoryFromNoiseToTheImage() {
    DiffusionModel model = new DiffusionModel(Denoiser.build(TINY, MNIST, 2), TINY, MNIST, null);

    DiffusionModel.Samples s = model.sample(3, 20, DiffusionModel.Sampler.DDPM, 1, true);

    assertThat(s.trajectory().shape()).containsExactly(10, 1, 28, 28);
    assertThat(s.trajectory().get(org.nd4j.linalg.indexing.NDArrayIndex.point(9)))
        .isEqualTo(s.images().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
    assertThat(model.sample(3, 20, DiffusionModel.Sampler.DDPM, 1, false).trajectory()).isNull();
  }

  @Test
  void shouldKeepTheKnownPixelsExactlyWhenInpainting() {
    DiffusionModel model = new DiffusionModel(Denoiser.build(TINY, MNIST, 2), TINY, MNIST, null);
    float[] pixels = new float[28 * 28];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    INDArray image = Nd4j.create(pixels, new long[] {1, 1, 28, 28}, 'c');
    INDArray known = Nd4j.ones(1, 1, 28, 28);
    for (int y = 8; y < 20; y++) {
      for (int x = 0; x < 28; x++) {
        known.putScalar(new int[] {0, 0, y, x}, 0);
      }
    }

    INDArray filled = model.inpaint(image, known, 3);

    float[] in = image.data().asFloat();
    float[] out = filled.data().asFloat();
    float[] mask = known.data().asFloat();
    int changed = 0;
    for (int i = 0; i < in.length; i++) {
      if (mask[i] == 1) {
        assertThat(out[i]).as("known pixel %d", i).isEqualTo(in[i]);
      } else if (out[i] != in[i]) {
        changed++;
      }
    }
    assertThat(changed).as("erased pixels filled in").isGreaterThan(300);
    assertThat(model.inpaint(image, known, 3)).isEqualTo(filled);
  }

  private static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
