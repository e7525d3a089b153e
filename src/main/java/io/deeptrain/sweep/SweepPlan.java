package io.deeptrain.sweep;

import java.util.List;
import java.util.Map;

/** A sweep request checked and with every default filled in, and its trials. */
record SweepPlan(
    String name,
    SweepRequest.Search search,
    int maxParallel,
    Objective objective,
    long seed,
    Map<String, SweepParameter> parameters,
    List<TrialPlan> trials) {}
