#!/usr/bin/env bash
# Side by side, alternating: spikering's TrainingThroughput vs the PyTorch reference on the same variant and shapes, all
# under nice -n 5 with the same thread count. VARIANT is parallel (the shipped feed-forward-in-time LMU: 512 tanh, K = 16,
# memory features precomputed) or recurrent (KerasLMU's psMNIST cell, full BPTT; PyTorch also runs it with the fixed-memory
# structure: memory by FFT convolution with the impulse response, one W_m GEMM, no memory recurrence). The recurrent lines
# also give samples per CPU-second, which other load on the machine disturbs less than samples per wall-clock second.
# With threads > 1 PyTorch also runs with 1 thread: on 2 cores its intra-op and BLAS pools oversubscribe the cores at
# 2 threads, and 1 thread is its faster setting for the recurrent cell (docs/results.md); compare against the faster one.
# Usage: side_by_side.sh VARIANT [reps] [seconds] [threads]   (build the jar first: ./spikering --help)
set -euo pipefail
cd "$(dirname "$0")/../.."
variant="${1:?usage: side_by_side.sh parallel|recurrent [reps] [seconds] [threads]}"
reps="${2:-3}"; secs="${3:-30}"; threads="${4:-2}"
case "$variant" in parallel|recurrent) ;; *) echo "unknown variant '$variant': use parallel or recurrent" >&2; exit 2;; esac
# the Java side with the flags ./spikering train uses (Vector API tiles, 64-byte object alignment, transparent huge pages); its first line says which products ran
echo "# $(date -u) $(uname -r); $(java -version 2>&1 | head -1); torch $(/usr/bin/python3 -c 'import torch;print(torch.__version__)'); $variant, threads $threads"
for rep in $(seq 1 "$reps"); do
  echo "rep $rep java            load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
  nice -n 5 java --add-modules=jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 -XX:+UseTransparentHugePages -cp cli/target/spikering.jar io.spikering.training.TrainingThroughput "$variant" "$secs" "$threads" 2>/dev/null | sed -n '1s/.*products: /products: /p;$p'
  echo "rep $rep torch           load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
  nice -n 5 /usr/bin/python3 benchmarks/pytorch/lmu_training_bench.py "$variant" "$secs" "$threads"
  if [ "$threads" -gt 1 ]; then
    echo "rep $rep torch 1 thread  load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
    nice -n 5 /usr/bin/python3 benchmarks/pytorch/lmu_training_bench.py "$variant" "$secs" 1
  fi
  if [ "$variant" = recurrent ]; then
    echo "rep $rep torch-fixedmem  load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
    nice -n 5 /usr/bin/python3 benchmarks/pytorch/lmu_training_bench.py recurrent-fixedmem "$secs" "$threads"
  fi
done
echo "end load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
