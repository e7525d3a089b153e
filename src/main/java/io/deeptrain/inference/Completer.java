package io.deeptrain.inference;

import io.deeptrain.compute.ComputeBackend;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.spec.LstmSpec;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Service;

/** Continues a prompt with a character-level language model. */
@Service
class Completer {

  static final int MAX_PROMPT = 10_000;
  static final int MAX_LENGTH = 10_000;

  private final ModelCache cache;
  private final ComputeBackend compute;

  Completer(ModelCache cache, ComputeBackend compute) {
    this.cache = cache;
    this.compute = compute;
  }

  CompleteResponse complete(UUID modelId, CompleteRequest request) {
    LoadedModel model = cache.get(modelId);
    ModelVersion v = model.version();
    if (!(v.spec() instanceof LstmSpec lstm)
        || lstm.headOrDefault() != LstmSpec.Head.LANGUAGE_MODEL) {
      throw ApiException.invalid(
          "prompt", "model " + modelId + " is not a language model; use /classify");
    }
    if (request == null) {
      throw ApiException.invalid("$", "request body is required");
    }
    List<String> vocabulary = v.labels();
    List<FieldViolation> violations = new ArrayList<>();
    String prompt = request.prompt();
    int[] codes = null;
    if (prompt == null || prompt.isEmpty()) {
      violations.add(
          new FieldViolation("prompt", "is required: 1 to " + MAX_PROMPT + " characters"));
    } else if (prompt.codePointCount(0, prompt.length()) > MAX_PROMPT) {
      violations.add(new FieldViolation("prompt", "has more than " + MAX_PROMPT + " characters"));
    } else {
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < vocabulary.size(); i++) {
        index.put(vocabulary.get(i), i);
      }
      int[] points = prompt.codePoints().toArray();
      codes = new int[points.length];
      Set<String> unknown = new LinkedHashSet<>();
      for (int i = 0; i < points.length; i++) {
        String c = Character.toString(points[i]);
        Integer code = index.get(c);
        if (code == null) {
          unknown.add(c);
        } else {
          codes[i] = code;
        }
      }
      if (!unknown.isEmpty()) {
        violations.add(
            new FieldViolation(
                "prompt",
                "has characters outside the model's vocabulary: "
                    + unknown.stream().map(Completer::quote).toList()));
      }
    }
    int length = request.length() == null ? 200 : request.length();
    if (length < 1 || length > MAX_LENGTH) {
      violations.add(
          new FieldViolation("length", "must be between 1 and " + MAX_LENGTH + ", got " + length));
    }
    double temperature = request.temperature() == null ? 1.0 : request.temperature();
    if (!(temperature > 0 && temperature <= 10)) {
      violations.add(
          new FieldViolation("temperature", "must be > 0 and <= 10, got " + temperature));
    }
    Integer topK = request.topK();
    if (topK != null && (topK < 1 || topK > vocabulary.size())) {
      violations.add(
          new FieldViolation(
              "topK",
              "must be between 1 and "
                  + vocabulary.size()
                  + " (the vocabulary's size), got "
                  + topK));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    long seed = request.seed() != null ? request.seed() : ThreadLocalRandom.current().nextLong();
    compute.applyThreadsToCurrentThread();
    String completion = model.complete(codes, length, temperature, topK, seed);
    return new CompleteResponse(modelId, prompt, completion, seed);
  }

  /** A character as a person can read it in an error message, control characters escaped. */
  private static String quote(String c) {
    int p = c.codePointAt(0);
    return Character.isISOControl(p) || Character.isWhitespace(p) ? String.format("U+%04X", p) : c;
  }
}
