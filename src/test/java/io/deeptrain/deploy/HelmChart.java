package io.deeptrain.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real Helm (helm-java: Helm's Go code compiled into a native library) run on helm/deeptrain,
 * offline and without a cluster.
 *
 * <p>helm-java is loaded in a class loader of its own: it needs JNA 5, and DL4J's oshi-core puts
 * JNA 4.3 first on the test class path. Its API is then called reflectively.
 */
final class HelmChart {

  static final Path CHART = Path.of("helm/deeptrain");

  /** What a failed Helm command said. */
  static final class HelmException extends RuntimeException {
    HelmException(String message) {
      super(message);
    }
  }

  record Lint(List<String> messages, boolean failed) {}

  private static ClassLoader loader;

  private final Path chart;

  private HelmChart(Path chart) {
    this.chart = chart;
  }

  /** The chart as it is in the repository. */
  static HelmChart repository() {
    return new HelmChart(CHART);
  }

  /**
   * A copy of the chart whose install-time hooks are plain resources. helm-java's {@code template}
   * prints the release manifest without hooks, so the Secrets the chart generates once at install
   * would otherwise be invisible to the checks that every referenced Secret exists.
   */
  static HelmChart withHooksAsResources(Path dir) {
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path source : files.toList()) {
        Path target = dir.resolve(CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          String text = Files.readString(source);
          Files.writeString(target, text.replaceAll("(?m)^\\s*helm\\.sh/hook(-weight)?:.*\\n", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HelmChart(dir);
  }

  Lint lint(boolean strict) {
    Object command = call(helm(), "lint");
    if (strict) {
      command = call(command, "strict");
    }
    Object result = call(command, "call");
    @SuppressWarnings("unchecked")
    List<String> messages = (List<String>) call(result, "getMessages");
    return new Lint(messages, (Boolean) call(result, "isFailed"));
  }

  /** {@code helm template} with these {@code --set} values: the rendered manifest. */
  String template(Map<String, ?> values) {
    Object command = call(helm(), "template");
    command = invoke(command, "withName", new Class<?>[] {String.class}, "dt");
    command = invoke(command, "withNamespace", new Class<?>[] {String.class}, "ml");
    return (String) call(set(command, values), "call");
  }

  /** {@code helm install --dry-run=client}: what the user reads after installing (NOTES.txt). */
  String installOutput(Map<String, ?> values) {
    Object command = call(helm(), "install");
    command = invoke(command, "withName", new Class<?>[] {String.class}, "dt");
    command = invoke(command, "withNamespace", new Class<?>[] {String.class}, "ml");
    command = call(command, "clientOnly");
    command = call(command, "dryRun");
    try {
      Class<?> dryRun = Class.forName("com.marcnuri.helm.DryRun", true, loader());
      command =
          invoke(
              command,
              "withDryRunOption",
              new Class<?>[] {dryRun},
              dryRun.getField("CLIENT").get(null));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return (String) call(call(set(command, values), "call"), "getOutput");
  }

  private Object set(Object command, Map<String, ?> values) {
    for (Map.Entry<String, ?> e : values.entrySet()) {
      command =
          invoke(
              command,
              "set",
              new Class<?>[] {String.class, Object.class},
              e.getKey(),
              e.getValue());
    }
    return command;
  }

  private Object helm() {
    try {
      Class<?> helm = Class.forName("com.marcnuri.helm.Helm", true, loader());
      return helm.getConstructor(Path.class).newInstance(chart.toAbsolutePath());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object call(Object target, String method) {
    return invoke(target, method, new Class<?>[0]);
  }

  private static Object invoke(Object target, String method, Class<?>[] types, Object... args) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // helm-java finds its native library with a ServiceLoader on the context class loader.
    thread.setContextClassLoader(loader());
    try {
      return target.getClass().getMethod(method, types).invoke(target, args);
    } catch (InvocationTargetException e) {
      throw new HelmException(String.valueOf(e.getCause().getMessage()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static synchronized ClassLoader loader() {
    if (loader == null) {
      List<URL> jars = new ArrayList<>();
      ClassLoader tests = HelmChart.class.getClassLoader();
      try {
        for (String resource :
            List.of(
                "com/marcnuri/helm/Helm.class",
                "com/marcnuri/helm/jni/NativeLibrary.class",
                "META-INF/services/com.marcnuri.helm.jni.NativeLibrary",
                "com/sun/jna/Native.class",
                "com/sun/jna/platform/FileUtils.class")) {
          for (URL url : Collections.list(tests.getResources(resource))) {
            String s = url.toString();
            boolean jna = resource.startsWith("com/sun/jna");
            if (s.startsWith("jar:") && (!jna || s.contains("-jpms-"))) {
              jars.add(new URL(s.substring("jar:".length(), s.indexOf("!/"))));
            }
          }
        }
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      loader =
          new URLClassLoader(
              jars.stream().distinct().toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
    return loader;
  }
}
