package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Restores the name DL4J 1.0.0-M2.1's oneDNN layer helpers look up.
 *
 * <p>{@code BaseMKLDNNHelper.mklDnnEnabled()} reflects on {@code
 * org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN}, but M2.1 moved that to {@code
 * org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN}; without this class no
 * oneDNN helper ever attaches. Forwarding goes through reflection so the project still compiles
 * against the CUDA backend, where the CPU bindings are absent and this reports {@code false}.
 */
public final class Nd4jCpu {

  private Nd4jCpu() {}

  /** Shape DL4J expects: static {@code getInstance()}, instance {@code isUseMKLDNN()}. */
  public static final class Environment {

    private static final String CPU_ENVIRONMENT =
        "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    /** Whether the CPU backend was built with oneDNN and has it switched on; false elsewhere. */
    public boolean isUseMKLDNN() {
      try {
        Class<?> environment = Class.forName(CPU_ENVIRONMENT);
        Object instance = environment.getMethod("getInstance").invoke(null);
        Method isUseOneDnn = environment.getMethod("isUseONEDNN");
        return (Boolean) isUseOneDnn.invoke(instance);
      } catch (ReflectiveOperationException | LinkageError e) {
        return false;
      }
    }
  }
}
