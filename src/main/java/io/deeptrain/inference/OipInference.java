package io.deeptrain.inference;

import io.deeptrain.generative.DiffusionModel;
import io.deeptrain.generative.ImageGrids;
import io.deeptrain.inference.OipModelMetadata.TensorMetadata;
import io.deeptrain.inference.OipSignature.Family;
import io.deeptrain.inference.OipTensor.Datatype;
import io.deeptrain.model.ModelVersion;
import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.springframework.stereotype.Service;

/**
 * Answers Open Inference Protocol inference requests by reading the request's tensors for the
 * model's family (see {@link OipSignature}) and calling the service that serves that family, so a
 * v2 request gets exactly what the /api/v1 endpoint would compute.
 */
@Service
class OipInference {

  /** Images a generator makes when the request does not say: one sample per request. */
  static final int DEFAULT_COUNT = 1;

  /** Request parameters with a meaning for some family; others are ignored as the protocol lets. */
  private static final Set<String> SAMPLING_PARAMS =
      Set.of("seed", "count", "n", "steps", "sampler", "temperature", "top_k", "length");

  private final Classifier classifier;
  private final Completer completer;
  private final Forecaster forecaster;
  private final GenerativeInference generative;
  private final DiffusionSampling diffusion;
  private final InferenceProperties props;

  OipInference(
      Classifier classifier,
      Completer completer,
      Forecaster forecaster,
      GenerativeInference generative,
      DiffusionSampling diffusion,
      InferenceProperties props) {
    this.classifier = classifier;
    this.completer = completer;
    this.forecaster = forecaster;
    this.generative = generative;
    this.diffusion = diffusion;
    this.props = props;
  }

  OipInferResponse infer(ModelVersion v, OipInferRequest request) {
    if (request == null) {
      throw OipTensor.invalid("the request body is required: {\"inputs\": [...]}");
    }
    OipSignature sig = OipSignature.of(v);
    List<String> wanted = wantedOutputs(sig, request.outputs());
    Params params = new Params(request.parameters(), sig);
    List<OipTensor> inputs = inputs(sig, request.inputs());
    Map<String, Object> echoed = new LinkedHashMap<>();
    echoed.put("model_id", v.id().toString());
    Map<String, OipInferResponse.Output> outputs =
        switch (sig.family()) {
          case TABULAR_CLASSIFIER, IMAGE_CLASSIFIER, SEQUENCE_CLASSIFIER ->
              classify(v, sig, single(sig, inputs));
          case LANGUAGE_MODEL -> complete(v, single(sig, inputs), params, echoed);
          case FORECASTER -> forecast(v, single(sig, inputs));
          case GENERATOR, DIFFUSION -> generate(v, sig, inputs, params, wanted, echoed);
        };
    List<OipInferResponse.Output> answered = new ArrayList<>();
    for (String name : wanted) {
      answered.add(outputs.get(name));
    }
    return new OipInferResponse(
        v.name(), String.valueOf(v.version()), request.id(), echoed, answered);
  }

  // ---- classifiers ---------------------------------------------------------------------------

  private Map<String, OipInferResponse.Output> classify(
      ModelVersion v, OipSignature sig, OipTensor in) {
    ClassifyRequest request;
    int n = in.batch();
    if (OipSignature.IMAGE.equals(in.name())) {
      requireBytes(in, true);
      if (in.shape().length > 2 || (in.shape().length == 2 && in.shape()[1] != 1)) {
        throw OipTensor.invalid(
            "input 'image': shape "
                + in.shapeText()
                + " must be [n] (or [n, 1]): one base64 PNG/JPEG per element");
      }
      checkBatch(in);
      request = new ClassifyRequest(null, in.strings(), null, 1);
    } else {
      requireBytes(in, false);
      List<Long> declared = sig.inputs().get(0).shape();
      long[] s = in.shape();
      checkBatch(in);
      if (sig.family() == Family.SEQUENCE_CLASSIFIER) {
        long features = declared.get(2);
        if (s.length != 3 || s[1] < 1 || s[2] != features) {
          throw shapeMismatch(in, declared, "sequences of steps, " + features + " features each");
        }
        int steps = (int) s[1];
        List<List<List<Double>>> sequences = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          List<List<Double>> seq = new ArrayList<>(steps);
          for (int t = 0; t < steps; t++) {
            seq.add(doubles(in.numbers(), (i * steps + t) * (int) features, (int) features));
          }
          sequences.add(seq);
        }
        request = new ClassifyRequest(null, null, sequences, 1);
      } else {
        long perRow = declared.stream().skip(1).reduce(1L, (a, b) -> a * b);
        boolean asDeclared =
            s.length == declared.size()
                && Arrays.equals(
                    Arrays.copyOfRange(s, 1, s.length),
                    declared.stream().skip(1).mapToLong(Long::longValue).toArray());
        boolean flatRows = s.length == 2 && s[1] == perRow;
        if (!asDeclared && !flatRows) {
          throw shapeMismatch(
              in,
              declared,
              sig.family() == Family.IMAGE_CLASSIFIER
                  ? "images of pixels in [0, 1], channel-major; [n, " + perRow + "] also works"
                  : perRow + " features per row, raw values in the dataset's column order");
        }
        List<List<Double>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          rows.add(doubles(in.numbers(), i * (int) perRow, (int) perRow));
        }
        request = new ClassifyRequest(rows, null, null, 1);
      }
    }
    ClassifyResponse response;
    try {
      response = classifier.classify(v.id(), request);
    } catch (ApiException e) {
      throw renamed(e, in.name());
    }
    List<String> labels = v.labels();
    int classes = labels.size();
    float[] probabilities = new float[n * classes];
    List<String> predicted = new ArrayList<>(n);
    long[] index = new long[n];
    for (int i = 0; i < n; i++) {
      ClassifyResponse.Prediction p = response.predictions().get(i);
      int c = 0;
      int best = 0;
      for (double probability : p.probabilities().values()) {
        probabilities[i * classes + c] = (float) probability;
        if (probability > probabilities[i * classes + best]) {
          best = c;
        }
        c++;
      }
      predicted.add(p.label());
      index[i] = labels.indexOf(p.label()) >= 0 ? labels.indexOf(p.label()) : best;
    }
    Map<String, OipInferResponse.Output> out = new LinkedHashMap<>();
    out.put(
        OipSignature.PROBABILITIES,
        output(OipSignature.PROBABILITIES, "FP32", null, probabilities, n, classes));
    out.put(OipSignature.LABEL, output(OipSignature.LABEL, "BYTES", null, predicted, n));
    out.put(OipSignature.CLASS_INDEX, output(OipSignature.CLASS_INDEX, "INT64", null, index, n));
    return out;
  }

  // ---- language models and forecasters -------------------------------------------------------

  private Map<String, OipInferResponse.Output> complete(
      ModelVersion v, OipTensor in, Params params, Map<String, Object> echoed) {
    requireBytes(in, true);
    if (in.shape().length != 1) {
      throw OipTensor.invalid(
          "input 'prompt': shape " + in.shapeText() + " must be [n]: one prompt per element");
    }
    checkBatch(in);
    long seed = params.seed() != null ? params.seed() : ThreadLocalRandom.current().nextLong();
    List<String> texts = new ArrayList<>();
    for (String prompt : in.strings()) {
      CompleteResponse r =
          completer.complete(
              v.id(),
              new CompleteRequest(
                  prompt,
                  params.integer("length"),
                  params.number("temperature"),
                  params.integer("top_k"),
                  seed));
      texts.add(r.completion());
    }
    echoed.put("seed", seed);
    return Map.of(OipSignature.TEXT, output(OipSignature.TEXT, "BYTES", null, texts, in.batch()));
  }

  private Map<String, OipInferResponse.Output> forecast(ModelVersion v, OipTensor in) {
    requireBytes(in, false);
    long columns = v.inputShape().get(1);
    long[] s = in.shape();
    if (s.length != 3 || s[1] < 1 || s[2] != columns) {
      throw shapeMismatch(
          in,
          List.of(-1L, -1L, columns),
          "series of rows, oldest first, each with the " + columns + " columns");
    }
    checkBatch(in);
    int steps = (int) s[1];
    int horizon = v.labels().size();
    float[] values = new float[in.batch() * horizon];
    for (int i = 0; i < in.batch(); i++) {
      List<List<Double>> history = new ArrayList<>(steps);
      for (int t = 0; t < steps; t++) {
        history.add(doubles(in.numbers(), (i * steps + t) * (int) columns, (int) columns));
      }
      List<Double> forecast = forecaster.forecast(v.id(), new ForecastRequest(history)).forecast();
      for (int k = 0; k < horizon; k++) {
        values[i * horizon + k] = forecast.get(k).floatValue();
      }
    }
    return Map.of(
        OipSignature.FORECAST,
        output(OipSignature.FORECAST, "FP32", null, values, in.batch(), horizon));
  }

  // ---- generators ----------------------------------------------------------------------------

  private Map<String, OipInferResponse.Output> generate(
      ModelVersion v,
      OipSignature sig,
      List<OipTensor> inputs,
      Params params,
      List<String> wanted,
      Map<String, Object> echoed) {
    if (!inputs.isEmpty()) {
      throw OipTensor.invalid(
          "model '"
              + v.name()
              + "' is a generator and takes no inputs: send \"inputs\": [] and the settings"
              + " in parameters ("
              + String.join(", ", sorted(sig.params()))
              + ")");
    }
    Integer count = params.integer("count");
    Integer n = params.integer("n");
    if (count != null && n != null && !count.equals(n)) {
      throw OipTensor.invalid("parameters count and n disagree (" + count + " vs " + n + ")");
    }
    int images = count != null ? count : n != null ? n : DEFAULT_COUNT;
    INDArray batch;
    if (sig.family() == Family.DIFFUSION) {
      DiffusionSampling.Result r =
          diffusion.sample(
              v.id(),
              new SampleRequest(
                  images, params.integer("steps"), params.sampler(), params.seed(), false, false));
      batch = r.samples().images();
      DiffusionSampling.close(r.samples().trajectory());
      echoed.put("seed", r.seed());
      echoed.put("steps", r.steps());
      echoed.put("sampler", r.sampler().name());
    } else {
      GenerativeInference.Generated g =
          generative.generate(v.id(), new GenerateRequest(images, params.seed(), false));
      batch = g.images();
      echoed.put("seed", g.seed());
    }
    echoed.put("count", images);
    try (batch) {
      long[] s = batch.shape();
      int made = (int) s[0];
      Map<String, OipInferResponse.Output> out = new LinkedHashMap<>();
      if (wanted.contains(OipSignature.IMAGE)) {
        Base64.Encoder b64 = Base64.getEncoder();
        List<String> pngs = new ArrayList<>(made);
        for (int i = 0; i < made; i++) {
          pngs.add(b64.encodeToString(ImageGrids.png(batch.get(NDArrayIndex.point(i)))));
        }
        out.put(
            OipSignature.IMAGE,
            output(OipSignature.IMAGE, "BYTES", OipSignature.PNG_BASE64, pngs, made));
      }
      if (wanted.contains(OipSignature.PIXELS)) {
        float[] pixels = batch.dup('c').data().asFloat();
        out.put(OipSignature.PIXELS, output(OipSignature.PIXELS, "FP32", null, pixels, s));
      }
      return out;
    }
  }

  // ---- request checks ------------------------------------------------------------------------

  private static List<String> wantedOutputs(
      OipSignature sig, List<OipInferRequest.RequestedOutput> requested) {
    if (requested == null || requested.isEmpty()) {
      return sig.outputNames();
    }
    List<String> wanted = new ArrayList<>();
    for (OipInferRequest.RequestedOutput o : requested) {
      String name = o == null ? null : o.name();
      if (name == null || sig.output(name) == null) {
        throw OipTensor.invalid(
            "output '"
                + name
                + "' is not an output of this model; its outputs: "
                + String.join(", ", sig.outputNames()));
      }
      if (wanted.contains(name)) {
        throw OipTensor.invalid("output '" + name + "' is requested twice");
      }
      wanted.add(name);
    }
    return wanted;
  }

  private static List<OipTensor> inputs(OipSignature sig, List<OipInferRequest.Input> inputs) {
    List<OipTensor> parsed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (OipInferRequest.Input input : inputs == null ? List.<OipInferRequest.Input>of() : inputs) {
      if (input == null) {
        throw OipTensor.invalid("inputs must hold objects {name, shape, datatype, data}");
      }
      if (input.name() != null && !sig.inputNames().contains(input.name())) {
        throw OipTensor.invalid(
            "input '"
                + input.name()
                + "' is not an input of this model; "
                + (sig.inputs().isEmpty()
                    ? "it takes none"
                    : "its inputs: " + describe(sig.inputs())));
      }
      OipTensor tensor = OipTensor.parse(input);
      if (!seen.add(tensor.name())) {
        throw OipTensor.invalid("input '" + tensor.name() + "' is sent twice");
      }
      parsed.add(tensor);
    }
    return parsed;
  }

  private static OipTensor single(OipSignature sig, List<OipTensor> inputs) {
    if (inputs.size() != 1) {
      throw OipTensor.invalid(
          "send exactly one input, got "
              + inputs.size()
              + "; this model takes "
              + (sig.inputs().size() == 1 ? "" : "one of ")
              + describe(sig.inputs()));
    }
    return inputs.get(0);
  }

  private static String describe(List<TensorMetadata> tensors) {
    return tensors.stream()
        .map(t -> t.name() + " (" + t.datatype() + " " + t.shape() + ")")
        .collect(Collectors.joining(", "));
  }

  private static void requireBytes(OipTensor in, boolean bytes) {
    if (bytes != (in.datatype() == Datatype.BYTES)) {
      throw OipTensor.invalid(
          "input '"
              + in.name()
              + "': datatype "
              + in.datatype()
              + (bytes
                  ? " is not allowed; it takes BYTES"
                  : " is not allowed; it takes numbers (FP32, FP64, INT8 to INT64, UINT8 to"
                      + " UINT64, FP16 or BOOL)"));
    }
  }

  private void checkBatch(OipTensor in) {
    long n = in.shape()[0];
    if (n < 1 || n > props.maxInstances()) {
      throw OipTensor.invalid(
          "input '"
              + in.name()
              + "': the batch (first dimension of "
              + in.shapeText()
              + ") must be 1 to "
              + props.maxInstances());
    }
  }

  private static ApiException shapeMismatch(OipTensor in, List<Long> declared, String meaning) {
    return OipTensor.invalid(
        "input '"
            + in.name()
            + "': shape "
            + in.shapeText()
            + " does not fit the model's "
            + declared
            + " (-1: any size): "
            + meaning);
  }

  /**
   * The classifier names inputs by its own JSON fields ({@code images[2]}); say which tensor
   * element instead.
   */
  private static ApiException renamed(ApiException e, String input) {
    if (e.violations().isEmpty()) {
      return e;
    }
    List<FieldViolation> renamed = new ArrayList<>();
    for (FieldViolation f : e.violations()) {
      String rest = f.field().replaceFirst("^(images|instances|sequences)", "");
      String field =
          rest.equals(f.field())
              ? f.field()
              : "input '" + input + "'" + (rest.startsWith("[") ? " element " + rest : rest);
      renamed.add(new FieldViolation(field, f.message()));
    }
    return new ApiException(e.problem(), ApiException.invalid(renamed).getMessage(), renamed);
  }

  private static List<Double> doubles(double[] values, int from, int length) {
    List<Double> row = new ArrayList<>(length);
    for (int k = 0; k < length; k++) {
      row.add(values[from + k]);
    }
    return row;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  private static OipInferResponse.Output output(
      String name, String datatype, Map<String, Object> parameters, Object data, long... shape) {
    return new OipInferResponse.Output(
        name, Arrays.stream(shape).boxed().toList(), datatype, parameters, data);
  }

  /** The request's parameters, checked against what the model's family uses. */
  private static final class Params {

    private final Map<String, Object> values;

    Params(Map<String, Object> values, OipSignature sig) {
      this.values = values == null ? Map.of() : values;
      for (String name : this.values.keySet()) {
        if (SAMPLING_PARAMS.contains(name) && !sig.params().contains(name)) {
          throw OipTensor.invalid(
              "parameter '"
                  + name
                  + "' does not apply to this model"
                  + (sig.params().isEmpty()
                      ? " (it takes no sampling parameters)"
                      : "; it takes " + String.join(", ", sorted(sig.params()))));
        }
      }
    }

    Long seed() {
      Object v = values.get("seed");
      if (v == null) {
        return null;
      }
      if (v instanceof Integer || v instanceof Long) {
        return ((Number) v).longValue();
      }
      throw OipTensor.invalid("parameter 'seed' must be an integer, got " + v);
    }

    Integer integer(String name) {
      Object v = values.get(name);
      if (v == null) {
        return null;
      }
      if (v instanceof Integer i) {
        return i;
      }
      throw OipTensor.invalid("parameter '" + name + "' must be an integer, got " + v);
    }

    Double number(String name) {
      Object v = values.get(name);
      if (v == null) {
        return null;
      }
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      throw OipTensor.invalid("parameter '" + name + "' must be a number, got " + v);
    }

    DiffusionModel.Sampler sampler() {
      Object v = values.get("sampler");
      if (v == null) {
        return null;
      }
      try {
        return DiffusionModel.Sampler.valueOf(String.valueOf(v).toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw OipTensor.invalid(
            "parameter 'sampler' must be one of "
                + Arrays.toString(DiffusionModel.Sampler.values())
                + ", got "
                + v);
      }
    }
  }
}
