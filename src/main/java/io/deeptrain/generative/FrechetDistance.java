package io.deeptrain.generative;

/**
 * The Fréchet distance between two sets of feature vectors, each summarised as a Gaussian (mean and
 * covariance): d² = |μ1 − μ2|² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½), the figure FID reports in the feature
 * space of an Inception network (here, of a dataset's reference classifier).
 *
 * <p>Σ1 Σ2 is not symmetric, so its square root is not taken directly: Tr((Σ1 Σ2)^½) equals the sum
 * of the square roots of the eigenvalues of the symmetric positive semi-definite matrix Σ1^½ Σ2
 * Σ1^½, and both square roots come from symmetric eigendecompositions (cyclic Jacobi, in double
 * precision). Eigenvalues that rounding leaves slightly negative are clamped to zero. Features have
 * tens of dimensions, so plain Java is fast enough and needs no native code.
 */
public final class FrechetDistance {

  private FrechetDistance() {}

  /** Mean and covariance (divided by n − 1) of a set of feature vectors. */
  public record Gaussian(double[] mean, double[][] covariance, int count) {

    /** Fits {@code features} [n][d], n ≥ 2. */
    public static Gaussian of(double[][] features) {
      int n = features.length;
      if (n < 2) {
        throw new IllegalArgumentException("need at least 2 feature vectors, got " + n);
      }
      int d = features[0].length;
      double[] mean = new double[d];
      for (double[] row : features) {
        for (int j = 0; j < d; j++) {
          mean[j] += row[j];
        }
      }
      for (int j = 0; j < d; j++) {
        mean[j] /= n;
      }
      double[][] cov = new double[d][d];
      double[] centred = new double[d];
      for (double[] row : features) {
        for (int j = 0; j < d; j++) {
          centred[j] = row[j] - mean[j];
        }
        for (int i = 0; i < d; i++) {
          double ci = centred[i];
          if (ci == 0) {
            continue;
          }
          double[] covRow = cov[i];
          for (int j = i; j < d; j++) {
            covRow[j] += ci * centred[j];
          }
        }
      }
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          cov[i][j] /= n - 1;
          cov[j][i] = cov[i][j];
        }
      }
      return new Gaussian(mean, cov, n);
    }
  }

  /** The squared Fréchet distance between the Gaussians fitted to two feature sets. */
  public static double between(double[][] a, double[][] b) {
    return between(Gaussian.of(a), Gaussian.of(b));
  }

  /** The squared Fréchet distance between two Gaussians of the same dimension; never negative. */
  public static double between(Gaussian a, Gaussian b) {
    int d = a.mean().length;
    if (b.mean().length != d) {
      throw new IllegalArgumentException(
          "feature dimensions differ: " + d + " and " + b.mean().length);
    }
    double meanTerm = 0;
    for (int j = 0; j < d; j++) {
      double diff = a.mean()[j] - b.mean()[j];
      meanTerm += diff * diff;
    }
    double traces = trace(a.covariance()) + trace(b.covariance());
    double[][] rootA = sqrtPsd(a.covariance());
    double[][] inner = multiply(multiply(rootA, b.covariance()), rootA);
    symmetrise(inner);
    double crossTrace = 0;
    for (double eigenvalue : symmetricEigen(inner).values()) {
      crossTrace += Math.sqrt(Math.max(0, eigenvalue));
    }
    return Math.max(0, meanTerm + traces - 2 * crossTrace);
  }

  /** Square root of a symmetric positive semi-definite matrix, negative eigenvalues clamped. */
  static double[][] sqrtPsd(double[][] m) {
    Eigen e = symmetricEigen(m);
    int d = m.length;
    double[][] out = new double[d][d];
    for (int k = 0; k < d; k++) {
      double root = Math.sqrt(Math.max(0, e.values()[k]));
      if (root == 0) {
        continue;
      }
      for (int i = 0; i < d; i++) {
        double vik = e.vectors()[i][k] * root;
        for (int j = 0; j < d; j++) {
          out[i][j] += vik * e.vectors()[j][k];
        }
      }
    }
    symmetrise(out);
    return out;
  }

  /** Eigenvalues and eigenvectors (the columns of {@code vectors}) of a symmetric matrix. */
  record Eigen(double[] values, double[][] vectors) {}

  /**
   * Cyclic Jacobi rotations until the off-diagonal part is negligible: slow for large matrices but
   * accurate to rounding for the symmetric matrices of a few dozen rows met here.
   */
  static Eigen symmetricEigen(double[][] m) {
    int d = m.length;
    double[][] a = new double[d][];
    for (int i = 0; i < d; i++) {
      a[i] = m[i].clone();
    }
    double[][] v = new double[d][d];
    for (int i = 0; i < d; i++) {
      v[i][i] = 1;
    }
    double scale = 0;
    for (double[] row : a) {
      for (double x : row) {
        scale += x * x;
      }
    }
    double tolerance = 1e-30 * Math.max(scale, Double.MIN_NORMAL);
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off <= tolerance) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          if (a[p][q] != 0) {
            rotate(a, v, p, q);
          }
        }
      }
    }
    double[] values = new double[d];
    for (int i = 0; i < d; i++) {
      values[i] = a[i][i];
    }
    return new Eigen(values, v);
  }

  /** One Jacobi rotation that zeroes a[p][q] (Golub and Van Loan, algorithm 8.4.1). */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double apq = a[p][q];
    double theta = (a[q][q] - a[p][p]) / (2 * apq);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int d = a.length;
    for (int k = 0; k < d; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < d; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < d; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  private static double trace(double[][] m) {
    double t = 0;
    for (int i = 0; i < m.length; i++) {
      t += m[i][i];
    }
    return t;
  }

  private static double[][] multiply(double[][] x, double[][] y) {
    int n = x.length;
    int inner = y.length;
    int m = y[0].length;
    double[][] out = new double[n][m];
    for (int i = 0; i < n; i++) {
      double[] outRow = out[i];
      for (int k = 0; k < inner; k++) {
        double xik = x[i][k];
        if (xik == 0) {
          continue;
        }
        double[] yRow = y[k];
        for (int j = 0; j < m; j++) {
          outRow[j] += xik * yRow[j];
        }
      }
    }
    return out;
  }

  private static void symmetrise(double[][] m) {
    for (int i = 0; i < m.length; i++) {
      for (int j = i + 1; j < m.length; j++) {
        double mean = (m[i][j] + m[j][i]) / 2;
        m[i][j] = mean;
        m[j][i] = mean;
      }
    }
  }
}
