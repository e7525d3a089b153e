package io.deeptrain.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.deeptrain.generative.FrechetDistance.Gaussian;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTests {

  @Test
  void shouldMatchTheClosedFormForOneDimensionalGaussians() {
    // d² = (μ1 − μ2)² + (σ1 − σ2)² in one dimension.
    Gaussian a = new Gaussian(new double[] {1.0}, new double[][] {{4.0}}, 100);
    Gaussian b = new Gaussian(new double[] {-2.0}, new double[][] {{0.25}}, 100);

    assertThat(FrechetDistance.between(a, b)).isCloseTo(9.0 + 1.5 * 1.5, within(1e-12));
  }

  @Test
  void shouldBeZeroForIdenticalSets() {
    double[][] features = randomFeatures(500, 16, new Random(1), 1.0);

    assertThat(FrechetDistance.between(features, features)).isCloseTo(0.0, within(1e-9));
  }

  @Test
  void shouldMatchTheClosedFormForDiagonalCovariances() {
    // Diagonal: Σ_j (μ1j − μ2j)² + (√s1j − √s2j)².
    double[] mean1 = {0, 1, 2};
    double[] mean2 = {1, 1, -1};
    double[] var1 = {1, 4, 9};
    double[] var2 = {4, 1, 0.01};
    double expected = 0;
    for (int j = 0; j < 3; j++) {
      expected += Math.pow(mean1[j] - mean2[j], 2);
      expected += Math.pow(Math.sqrt(var1[j]) - Math.sqrt(var2[j]), 2);
    }

    double actual =
        FrechetDistance.between(
            new Gaussian(mean1, diagonal(var1), 10), new Gaussian(mean2, diagonal(var2), 10));

    assertThat(actual).isCloseTo(expected, within(1e-10));
  }

  @Test
  void shouldNotDependOnARotationOfTheFeatureSpace() {
    // A rotation of both sets leaves the distance unchanged, so full covariances are handled.
    Random random = new Random(7);
    double[][] a = randomFeatures(400, 8, random, 1.0);
    double[][] b = randomFeatures(400, 8, random, 2.0);
    double[][] rotation = FrechetDistance.symmetricEigen(randomSymmetric(8, random)).vectors();

    double plain = FrechetDistance.between(a, b);
    double rotated = FrechetDistance.between(times(a, rotation), times(b, rotation));

    assertThat(rotated).isCloseTo(plain, within(1e-9 * plain));
    assertThat(plain).isGreaterThan(1.0);
  }

  @Test
  void shouldEstimateTheDistanceOfSampledGaussians() {
    Random random = new Random(3);
    double[][] a = new double[20_000][1];
    double[][] b = new double[20_000][1];
    for (int i = 0; i < a.length; i++) {
      a[i][0] = random.nextGaussian();
      b[i][0] = 3 + 2 * random.nextGaussian();
    }

    assertThat(FrechetDistance.between(a, b)).isCloseTo(9 + 1, within(0.15));
  }

  @Test
  void shouldClampRoundingForSingularCovariances() {
    // Every vector equal: zero covariance, so only the mean term remains, and it is never < 0.
    double[][] a = {{1, 1}, {1, 1}, {1, 1}};
    double[][] b = {{1, 1}, {1, 1}};

    assertThat(FrechetDistance.between(a, b)).isEqualTo(0.0);
  }

  @Test
  void shouldDecomposeASymmetricMatrix() {
    double[][] m = randomSymmetric(12, new Random(5));

    FrechetDistance.Eigen e = FrechetDistance.symmetricEigen(m);

    for (int k = 0; k < 12; k++) {
      for (int i = 0; i < 12; i++) {
        double mv = 0;
        for (int j = 0; j < 12; j++) {
          mv += m[i][j] * e.vectors()[j][k];
        }
        assertThat(mv).isCloseTo(e.values()[k] * e.vectors()[i][k], within(1e-10));
      }
    }
  }

  @Test
  void shouldRefuseFeatureSetsOfDifferentDimensions() {
    assertThatThrownBy(() -> FrechetDistance.between(new double[2][3], new double[2][4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 and 4");
  }

  private static double[][] diagonal(double[] values) {
    double[][] m = new double[values.length][values.length];
    for (int i = 0; i < values.length; i++) {
      m[i][i] = values[i];
    }
    return m;
  }

  /** Correlated features: a random linear mix of Gaussians, scaled. */
  private static double[][] randomFeatures(int n, int d, Random random, double scale) {
    double[][] mix = new double[d][d];
    for (double[] row : mix) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian();
      }
    }
    double[][] out = new double[n][d];
    for (double[] row : out) {
      double[] z = new double[d];
      for (int j = 0; j < d; j++) {
        z[j] = random.nextGaussian();
      }
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          row[j] += scale * mix[j][k] * z[k];
        }
        row[j] += scale;
      }
    }
    return out;
  }

  private static double[][] randomSymmetric(int d, Random random) {
    double[][] m = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        m[i][j] = random.nextGaussian();
        m[j][i] = m[i][j];
      }
    }
    return m;
  }

  private static double[][] times(double[][] x, double[][] r) {
    double[][] out = new double[x.length][r[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < r[0].length; j++) {
        for (int k = 0; k < r.length; k++) {
          out[i][j] += x[i][k] * r[k][j];
        }
      }
    }
    return out;
  }
}
