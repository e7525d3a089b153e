package io.deeptrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

/**
 * The Dockerfile against the project it packages: its backends are the pom's profiles, the CUDA
 * base matches the CUDA backend, its settings exist, its memory shares fit in a container, and its
 * healthcheck and port are the service's. (No Docker engine runs here to build it.)
 */
class DockerfileTests {

  // Read by the JVM, OpenMP or the base images rather than by Spring.
  private static final List<String> NOT_SETTINGS =
      List.of("JAVA_HOME", "PATH", "JAVA_TOOL_OPTIONS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY");

  private final Dockerfile dockerfile = Dockerfile.read();

  @Test
  void eachBackendIsAMavenProfileAndTheDefaultIsTheCpuOne() throws Exception {
    Document pom = pom();
    List<String> profiles = new ArrayList<>();
    String activeByDefault = null;
    NodeList nodes = pom.getElementsByTagName("profile");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element profile = (Element) nodes.item(i);
      String id = text(profile, "id");
      profiles.add(id);
      if ("true".equals(text(profile, "activeByDefault"))) {
        activeByDefault = id;
      }
    }
    List<String> backends =
        dockerfile.stages().stream()
            .map(Dockerfile.Stage::name)
            .filter(n -> n != null && n.startsWith("runtime-"))
            .map(n -> n.substring("runtime-".length()))
            .toList();

    assertThat(backends).containsExactlyInAnyOrderElementsOf(profiles);
    assertThat(dockerfile.globalArgs()).containsEntry("BACKEND", activeByDefault);
    assertThat(dockerfile.image().from()).isEqualTo("runtime-${BACKEND}");
    // The build compiles with the chosen profile, so the jar has that backend's ND4J.
    assertThat(dockerfile.stage("build").args("RUN")).anyMatch(r -> r.contains("-P${BACKEND}"));
  }

  @Test
  void theCudaBaseHasTheCudaAndCudnnVersionsOfTheCudaBackend() throws Exception {
    Element cuda = profile(pom(), "cuda");
    Matcher backend =
        Pattern.compile("nd4j-cuda-(\\d+\\.\\d+)").matcher(text(cuda, "nd4j.backend"));
    assertThat(backend.matches()).as(text(cuda, "nd4j.backend")).isTrue();
    // cuda.redist.version is <cuda>-<cudnn>-<javacpp>, e.g. 11.6-8.3-1.5.7
    String cudnnMajor = text(cuda, "cuda.redist.version").split("-")[1].split("\\.")[0];

    String base = dockerfile.stage("runtime-cuda").from();
    assertThat(base)
        .matches(
            "nvidia/cuda:"
                + Pattern.quote(backend.group(1))
                + "(\\.\\d+)?-cudnn"
                + cudnnMajor
                + "-runtime-ubuntu[0-9.]+");
  }

  @Test
  void bothBackendsRunTheJavaVersionThePomCompilesFor() throws Exception {
    String java = text(pom().getDocumentElement(), "java.version");
    assertThat(dockerfile.stage("build").from()).startsWith("eclipse-temurin:" + java + "-jdk");
    assertThat(dockerfile.stage("runtime-cpu").from())
        .startsWith("eclipse-temurin:" + java + "-jre");
    assertThat(dockerfile.stage("runtime-cuda").args("COPY"))
        .anyMatch(c -> c.startsWith("--from=eclipse-temurin:" + java + "-jre"));
  }

  @Test
  void itsEnvironmentIsRealSettingsAndItsDataDirectoriesAreOnTheVolume() {
    KnownProperties known = KnownProperties.load();
    Map<String, String> env = new java.util.LinkedHashMap<>();
    dockerfile.stages().forEach(s -> env.putAll(s.env()));
    List<String> unknown =
        env.keySet().stream()
            .filter(name -> !NOT_SETTINGS.contains(name) && !known.isEnvironmentVariable(name))
            .toList();
    assertThat(unknown).as("ENV names that no setting reads").isEmpty();

    List<String> volumes = dockerfile.image().args("VOLUME");
    assertThat(volumes).hasSize(1);
    String volume = volumes.get(0);
    assertThat(env.get("DEEPTRAIN_DATASETS_DIR")).startsWith(volume + "/");
    assertThat(env.get("DEEPTRAIN_EMBEDDEDPOSTGRES_DATADIR")).startsWith(volume + "/");
  }

  @Test
  void heapAndOffHeapSharesLeaveRoomInTheContainer() {
    String options = dockerfile.image().env().get("JAVA_TOOL_OPTIONS");
    double heap = number(options, "-XX:MaxRAMPercentage=([\\d.]+)");
    double offHeap = number(options, "-Dorg.bytedeco.javacpp.maxbytes=([\\d.]+)%") / 100;
    double physical = number(options, "-Dorg.bytedeco.javacpp.maxphysicalbytes=([\\d.]+)%") / 100;

    // JavaCPP reads both percentages relative to the max heap; as shares of the container limit:
    double heapAndArrays = heap * (1 + offHeap);
    double residentCap = heap * physical;
    assertThat(heapAndArrays).as("heap + ND4J arrays, % of the limit").isLessThanOrEqualTo(80);
    // The resident-size cap stops allocations before the kernel's OOM killer would, and above
    // what heap and arrays may legitimately hold.
    assertThat(residentCap).isLessThan(95).isGreaterThan(heapAndArrays);
    assertThat(options).contains("-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void theHealthcheckAndPortAreTheServicesAndItsToolIsInstalled() throws Exception {
    Map<String, Object> yml =
        new Yaml().load(Files.readString(Path.of("src/main/resources/application.yml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> server = (Map<String, Object>) yml.get("server");
    assertThat(server).as("server.port unset: Spring Boot's 8080").doesNotContainKey("port");

    assertThat(dockerfile.image().args("EXPOSE")).containsExactly("8080");
    assertThat(dockerfile.healthcheckUrl().getPort()).isEqualTo(8080);
    assertThat(dockerfile.healthcheckPath()).isEqualTo("/actuator/health/liveness");

    String healthcheck = dockerfile.image().args("HEALTHCHECK").get(0);
    String tool = healthcheck.substring(healthcheck.indexOf("CMD ") + 4).split("\\s+")[0];
    assertThat(dockerfile.image().args("RUN"))
        .as("the HEALTHCHECK's %s is installed in the image", tool)
        .anyMatch(r -> r.matches(".*apt-get install\\b.*\\b" + tool + "\\b.*"));
  }

  @Test
  void itRunsAsANonRootUserAndBundlesNoData() throws Exception {
    List<String> users = dockerfile.image().args("USER");
    assertThat(users).isNotEmpty();
    assertThat(users.get(users.size() - 1)).doesNotStartWith("root").doesNotStartWith("0");

    // The build context is an allow-list: nothing but the build's inputs gets in.
    List<String> ignore =
        Files.readAllLines(Path.of(".dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(ignore.get(0)).isEqualTo("*");
    assertThat(ignore.subList(1, ignore.size()))
        .allMatch(l -> l.startsWith("!"))
        .containsExactlyInAnyOrder("!mvnw", "!pom.xml", "!.mvn/", "!src/main/");
    // and src/main holds no dataset beyond the two small ones that ship with the project
    try (var files = Files.walk(Path.of("src/main"))) {
      assertThat(files.filter(Files::isRegularFile).filter(DockerfileTests::large).toList())
          .as("files over 1 MB in src/main, copied into the image")
          .isEmpty();
    }
  }

  private static boolean large(Path file) {
    try {
      return Files.size(file) > 1 << 20;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in %s", regex, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  static Document pom() throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(Path.of("pom.xml").toFile());
  }

  static Element profile(Document pom, String id) {
    NodeList nodes = pom.getElementsByTagName("profile");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element profile = (Element) nodes.item(i);
      if (id.equals(text(profile, "id"))) {
        return profile;
      }
    }
    throw new AssertionError("no profile " + id + " in pom.xml");
  }

  static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
  }
}
