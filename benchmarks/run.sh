#!/usr/bin/env bash
# Runs the JMH benchmark suite and renders its report.
#   benchmarks/run.sh          short suite (about 10 minutes on 2 cores)
#   benchmarks/run.sh --full   longer runs, more parameters, 2 forks
# Builds benchmarks/target/benchmarks.jar if missing or older than the sources, writes the JMH JSON files to
# benchmarks/results/<UTC timestamp>/, then renders PNGs and the generated section of docs/benchmarks.md.
# JAVA_HOME selects the JDK. BENCH_NICE (default 10) is the niceness of the runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
full=0
case "${1:-}" in
  "") ;;
  --full) full=1 ;;
  *) echo "usage: benchmarks/run.sh [--full]" >&2; exit 2 ;;
esac
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
  echo "run.sh: building benchmarks.jar..." >&2
  ./mvnw -q -B -DskipTests -pl benchmarks -am package >&2
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$here/results/$stamp"
mkdir -p "$out"
nice_level="${BENCH_NICE:-10}"
# kernels: many short operations; networks: operations of 10-300 ms, so longer iterations
if [ "$full" = 1 ]; then
  kernel_settings=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
  network_settings=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
else
  kernel_settings=(-f 1 -wi 2 -w 500ms -i 4 -r 500ms)
  network_settings=(-f 1 -wi 2 -w 1s -i 4 -r 1s)
fi
# BENCH_JMH overrides both (e.g. "-f 1 -wi 0 -i 1 -r 100ms" for a smoke test)
if [ -n "${BENCH_JMH:-}" ]; then read -r -a kernel_settings <<< "$BENCH_JMH"; network_settings=("${kernel_settings[@]}"); fi
settings=("${kernel_settings[@]}")
major="$("$java_bin" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"
jvm_extra=()
if [ -n "$major" ] && [ "$major" -ge 23 ]; then jvm_extra=(-jvmArgsAppend --sun-misc-unsafe-memory-access=allow); fi

{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "command: benchmarks/run.sh ${1:-}   (JMH kernels ${kernel_settings[*]}, networks ${network_settings[*]}, -prof gc, nice $nice_level)"
  echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "cpu:     $(sed -nE 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1), $(nproc) cores, $(if grep -q -w avx512f /proc/cpuinfo; then echo avx512f; elif grep -q -w avx2 /proc/cpuinfo; then echo avx2; else echo 'no avx2'; fi)"
  echo "memory:  $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "os:      $(uname -sr)"
  echo "jdk:     $("$java_bin" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
} > "$out/environment.txt"
cat "$out/environment.txt" >&2

shipped="$root/models/psmnist-lmu-hybrid.safetensors"
lmu_data=psmnist
mnist="${SPIKERING_CACHE:-$HOME/.cache/spikering}/mnist"
if [ ! -f "$mnist/t10k-images-idx3-ubyte" ]; then
  echo "run.sh: no MNIST cache at $mnist (./spikering data fetch mnist); the LMU runs use synthetic images" >&2
  lmu_data=synthetic
fi

bench() {
  local name="$1"; shift
  case "$name" in cuba*|lmu*) settings=("${network_settings[@]}") ;; *) settings=("${kernel_settings[@]}") ;; esac
  echo "run.sh: $name" >&2
  nice -n "$nice_level" "$java_bin" -jar "$jar" "$@" "${settings[@]}" "${jvm_extra[@]}" -prof gc \
    -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1 || { tail -30 "$out/$name.log" >&2; exit 1; }
}

if [ "$full" = 1 ]; then
  bench delivery 'DeliveryBenchmark'
  bench transport 'TransportBenchmark' -p wait=sleeping,yielding
  bench crossover 'EventVsDenseBenchmark|DenseLayerBenchmark'
  bench cuba 'CubaNetworkBenchmark' -p threads=0,1,2
  bench lmu-shaped 'LmuBenchmark' -p model=shaped -p hidden=spiking,dense -p data="$lmu_data"
else
  bench delivery 'DeliveryBenchmark.(roofline|kernel|step)$'
  bench delivery-before 'DeliveryBenchmark.kernelFloatRows' -p events=64
  bench transport 'TransportBenchmark' -p targets=4096
  bench crossover 'EventVsDenseBenchmark|DenseLayerBenchmark' -p counts=unit,geometric4
  bench cuba 'CubaNetworkBenchmark'
  bench lmu-shaped 'LmuBenchmark' -p model=shaped -p hidden=spiking,dense -p data="$lmu_data"
fi
# the load-robust companion of the delivery and transport comparisons
echo "run.sh: interleaved" >&2
nice -n "$nice_level" "$java_bin" -Xmx2g -cp "$jar" io.spikering.bench.Interleaved "$out/interleaved.tsv" \
  "$([ "$full" = 1 ] && echo 5 || echo 2)" 2> "$out/interleaved.log"
# the shipped model, each memory mode (recurrence = the network as defined; filter, fused = event-driven memory)
if [ -f "$shipped" ]; then
  bench lmu-shipped 'LmuBenchmark' -p model="$shipped" -p memory=recurrence,filter,fused -p hidden=spiking,dense \
    -p data="$lmu_data"
else
  echo "run.sh: $shipped not found; only the LMU-shaped network is benchmarked" >&2
fi

"$java_bin" -Djava.awt.headless=true -cp "$jar" io.spikering.bench.Report "benchmarks/results/$stamp" docs \
  "benchmarks/run.sh${1:+ $1}"
echo "run.sh: results in $out" >&2
