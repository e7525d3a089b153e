package io.deeptrain.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The top-level Dockerfile read into its stages and instructions (continuation lines joined,
 * comments dropped), for tests that check it against the project; no Docker engine runs here.
 */
record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {

  static final Path PATH = Path.of("Dockerfile");

  record Instruction(String keyword, String args) {}

  /** A stage: its base image, its name (AS ...) or null, and its instructions. */
  record Stage(String from, String name, List<Instruction> instructions) {

    List<String> args(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(i -> i.args())
          .toList();
    }

    /** ENV settings, both the {@code K=V K2=V2} and the legacy {@code K V} form. */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");
      for (String args : args("ENV")) {
        Matcher m = pair.matcher(args);
        boolean any = false;
        while (m.find()) {
          env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
          any = true;
        }
        if (!any) {
          String[] kv = args.split("\\s+", 2);
          env.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
      }
      return env;
    }
  }

  static Dockerfile read() {
    try {
      return parse(Files.readString(PATH));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile parse(String text) {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      logical.add(current.toString().strip());
      current.setLength(0);
    }
    Map<String, String> globalArgs = new LinkedHashMap<>();
    List<Stage> stages = new ArrayList<>();
    List<Instruction> instructions = null;
    for (String line : logical) {
      String[] parts = line.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      String args = parts.length > 1 ? parts[1].strip() : "";
      if (keyword.equals("FROM")) {
        String[] from = args.split("\\s+");
        String name = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
        instructions = new ArrayList<>();
        stages.add(new Stage(from[0], name, instructions));
      } else if (instructions == null) {
        if (keyword.equals("ARG")) {
          String[] kv = args.split("=", 2);
          globalArgs.put(kv[0], kv.length > 1 ? kv[1] : null);
        }
      } else {
        instructions.add(new Instruction(keyword, args));
      }
    }
    return new Dockerfile(globalArgs, stages);
  }

  Stage stage(String name) {
    return stages.stream()
        .filter(s -> name.equals(s.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage " + name + " in the Dockerfile"));
  }

  /** The stage the image is built from: the last one. */
  Stage image() {
    return stages.get(stages.size() - 1);
  }

  /** The HEALTHCHECK's URL path, e.g. /actuator/health/liveness. */
  String healthcheckPath() {
    return healthcheckUrl().getPath();
  }

  java.net.URI healthcheckUrl() {
    Matcher m = Pattern.compile("http://[^\\s\"']+").matcher(image().args("HEALTHCHECK").get(0));
    if (!m.find()) {
      throw new AssertionError("no URL in the HEALTHCHECK");
    }
    return java.net.URI.create(m.group());
  }
}
