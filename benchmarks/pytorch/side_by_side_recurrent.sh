#!/usr/bin/env bash
# Side by side, alternating: spikering's TrainingThroughput vs the PyTorch reference (as KerasLMU runs the network) vs
# PyTorch with the fixed-memory structure (memory by FFT convolution with the impulse response, one W_m GEMM, no memory recurrence) on KerasLMU's recurrent psMNIST
# configuration, all under nice -n 5 with the same thread count. Each line also gives samples per CPU-second, which
# other load on the machine disturbs less than samples per wall-clock second.
# With threads > 1 PyTorch also runs with 1 thread: on 2 cores its intra-op and BLAS pools oversubscribe the cores at
# 2 threads, and 1 thread is its faster setting (docs/results.md); compare against the faster one.
# Usage: side_by_side_recurrent.sh [reps] [seconds] [threads]   (build the jar first: ./spikering --help)
set -euo pipefail
cd "$(dirname "$0")/../.."
reps="${1:-3}"; secs="${2:-30}"; threads="${3:-2}"
# the Java side with the flags ./spikering train uses (Vector API tiles, 64-byte object alignment, transparent huge pages); its first line says which products ran
echo "# $(date -u) $(uname -r); $(java -version 2>&1 | head -1); torch $(/usr/bin/python3 -c 'import torch;print(torch.__version__)'); threads $threads"
for rep in $(seq 1 "$reps"); do
  echo "rep $rep java            load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
  nice -n 5 java --add-modules=jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 -XX:+UseTransparentHugePages -cp cli/target/spikering.jar io.spikering.training.TrainingThroughput recurrent "$secs" "$threads" 2>/dev/null | sed -n '1s/.*products: /products: /p;$p'
  echo "rep $rep torch           load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
  nice -n 5 /usr/bin/python3 benchmarks/pytorch/lmu_training_bench.py recurrent "$secs" "$threads"
  if [ "$threads" -gt 1 ]; then
    echo "rep $rep torch 1 thread  load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
    nice -n 5 /usr/bin/python3 benchmarks/pytorch/lmu_training_bench.py recurrent "$secs" 1
  fi
  echo "rep $rep torch-fixedmem  load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
  nice -n 5 /usr/bin/python3 benchmarks/pytorch/lmu_training_bench.py recurrent-fixedmem "$secs" "$threads"
done
echo "end load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
