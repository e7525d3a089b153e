#!/usr/bin/env bash
# Training throughput (samples/s) of the MLP and the TF-tutorial CNN for each native thread
# setting, one JVM per run (OpenMP reads OMP_* once at load). Figures go to
# target/compute-bench.txt. Run from the project root; ~8 minutes on 2 cores.
set -euo pipefail
seconds=${1:-15}
./mvnw -o -B -q compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
cp="$(cat target/bench.cp):target/classes"
out=target/compute-bench.txt
: >"$out"
for model in mlp cnn; do
  # "<threads> <thread> [apply]|<extra environment>"; env = leave ND4J's startup choice
  for run in "env main|" "env main|OMP_NUM_THREADS=1" "1 main|" "2 main|" \
    "env main|OMP_WAIT_POLICY=PASSIVE" "1 main|OMP_WAIT_POLICY=PASSIVE" \
    "2 main|OMP_WAIT_POLICY=PASSIVE" "1 worker|" "1 worker apply|"; do
    args=${run%%|*}
    extra=${run#*|}
    echo "== $model $args env=$extra load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"
    # shellcheck disable=SC2086
    env $extra java -cp "$cp" bench/ComputeBench.java "$model" ${args%% *} "$seconds" \
      ${args#* } 2>&1 | grep RESULT | tee -a "$out"
  done
done
