package io.deeptrain.training;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Classical (Polyak heavy-ball) momentum: {@code v = mu * v + lr * g; w -= v}. DL4J ships only
 * Nesterov momentum, and the course compares the two, so MOMENTUM gets its own updater instead of
 * silently becoming NESTEROV.
 *
 * <p>Public with a no-argument constructor and plain fields because DL4J writes the updater into
 * the model's JSON configuration (by class name) and reads it back when a model is loaded.
 */
public final class HeavyBallMomentum implements IUpdater {

  static final String VELOCITY = "V";

  private double learningRate;
  private double momentum;
  private ISchedule learningRateSchedule;

  /** For DL4J's JSON deserialisation. */
  public HeavyBallMomentum() {
    this(0.01, 0.9);
  }

  public HeavyBallMomentum(double learningRate, double momentum) {
    this.learningRate = learningRate;
    this.momentum = momentum;
  }

  public double getMomentum() {
    return momentum;
  }

  @Override
  public long stateSize(long numParams) {
    return numParams;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    Updater updater = new Updater(this);
    updater.setStateViewArray(
        viewArray, viewArray.shape().clone(), viewArray.ordering(), initializeViewArray);
    return updater;
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
    Updater updater = new Updater(this);
    updater.setState(state, initializeStateArrays);
    return updater;
  }

  @Override
  public HeavyBallMomentum clone() {
    HeavyBallMomentum copy = new HeavyBallMomentum(learningRate, momentum);
    copy.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
    return copy;
  }

  @Override
  public double getLearningRate(int iteration, int epoch) {
    return learningRateSchedule == null
        ? learningRate
        : learningRateSchedule.valueAt(iteration, epoch);
  }

  @Override
  public boolean hasLearningRate() {
    return true;
  }

  @Override
  public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
    this.learningRate = lr;
    this.learningRateSchedule = lrSchedule;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeavyBallMomentum other
        && Double.compare(learningRate, other.learningRate) == 0
        && Double.compare(momentum, other.momentum) == 0
        && Objects.equals(learningRateSchedule, other.learningRateSchedule);
  }

  @Override
  public int hashCode() {
    return Objects.hash(learningRate, momentum, learningRateSchedule);
  }

  @Override
  public String toString() {
    return "HeavyBallMomentum(learningRate=" + learningRate + ", momentum=" + momentum + ")";
  }

  /** The per-layer state: one velocity per parameter, held in DL4J's updater view array. */
  static final class Updater implements GradientUpdater<HeavyBallMomentum> {

    private final HeavyBallMomentum config;
    private INDArray velocity;

    Updater(HeavyBallMomentum config) {
      this.config = config;
    }

    @Override
    public HeavyBallMomentum getConfig() {
      return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
      INDArray v = state.get(VELOCITY);
      if (v == null || state.size() != 1) {
        throw new IllegalStateException(
            "heavy-ball momentum expects exactly one state array '"
                + VELOCITY
                + "', got "
                + state.keySet());
      }
      if (initialize) {
        v.assign(0);
      }
      this.velocity = v;
    }

    @Override
    public Map<String, INDArray> getState() {
      return Map.of(VELOCITY, velocity);
    }

    @Override
    public void setStateViewArray(
        INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
      if (initialize) {
        viewArray.assign(0);
      }
      // DL4J hands over a flat view; shape it like the gradient so the element-wise ops line up.
      this.velocity = viewArray.reshape(gradientOrder, gradientShape);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      if (velocity == null) {
        throw new IllegalStateException("updater state not set");
      }
      double lr = config.getLearningRate(iteration, epoch);
      // In place, no temporaries: g <- lr*g; v <- mu*v + g; the update DL4J subtracts is v.
      gradient.muli(lr);
      velocity.muli(config.momentum).addi(gradient);
      gradient.assign(velocity);
    }
  }
}
