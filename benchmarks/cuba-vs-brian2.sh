#!/usr/bin/env bash
# CUBA (Brette et al. 2007, NEST iaf_psc_exp) in spikering (1 and 2 threads) and in Brian2's compiled C++ mode
# (cpp_standalone, one thread), optionally also Brian2's cython runtime mode; same machine, same run.
# Usage: benchmarks/cuba-vs-brian2.sh [--seconds S] [--warmup W] [--repeats R] [--seed N] [--neurons N] [--cython]
# The Brian2 binary is generated and compiled once before the timed runs (in a temporary directory); then every
# repeat runs `spikering bench cuba --threads 1`, `--threads 2`, the Brian2 binary (and with --cython the cython
# script) in turn. Brian2's cpp_standalone time is the binary's own timer around the timed run (no start-up,
# warm-up or compilation), which is std::clock(), i.e. the process's CPU time: on an idle machine it equals the wall time
# of the single-threaded binary, under load it is smaller (the comparison then favours Brian2); spikering's is the wall
# time of its timed run after the warm-up. Prints every run's JSON, then medians and
# the Brian2/spikering ratios of wall seconds per simulated second (> 1: spikering is faster). Spike counts differ
# (different random streams for the same connectivity rules); compare the rates. Brian2 is skipped with a message
# when not installed (Debian: apt-get install python3-brian g++). --neurons N (a multiple of 5, default 4000) runs a
# larger network of the same family (4/5 excitatory, same in-degrees 64 + 16) in both, for the thread scaling.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=10; warmup=1; repeats=3; seed=42; cython=0; neurons=4000
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --neurons) neurons="$2"; shift 2 ;;
    --cython) cython=1; shift ;;
    *) echo "unknown argument '$1'; usage: $0 [--seconds S] [--warmup W] [--repeats R] [--seed N] [--neurons N] [--cython]" >&2; exit 2 ;;
  esac
done

# Brian2 from Debian lives in the system Python; a pyenv/venv python3 first on PATH may not see it.
brian_python=""
for py in /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c "import brian2" >/dev/null 2>&1; then brian_python="$py"; break; fi
done

"$here/spikering" --version >/dev/null   # builds the CLI jar once, outside the timed runs
results="$(mktemp)"
build="$(mktemp -d)"
trap 'rm -rf "$results" "$build"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1)"
brian=( "$brian_python" -W ignore "$here/benchmarks/brian2/cuba.py" --seconds "$seconds" --warmup "$warmup" --seed "$seed" --neurons "$neurons" )
if [ -n "$brian_python" ]; then
  echo "brian2: $("$brian_python" -c 'import brian2; print(brian2.__version__)' 2>/dev/null) ($brian_python), $(g++ --version | head -1)"
  echo "compiling the Brian2 cpp_standalone binary (not timed)..."
  "${brian[@]}" --target cpp_standalone --build-dir "$build/cuba" >/dev/null
fi
for r in $(seq "$repeats"); do
  for t in 1 2; do
    "$here/spikering" bench cuba --threads "$t" --neurons "$neurons" --seconds "$seconds" --warmup "$warmup" --seed "$seed" --json | tee -a "$results"
  done
  if [ -n "$brian_python" ]; then
    "${brian[@]}" --target cpp_standalone --build-dir "$build/cuba" --reuse 2>/dev/null | tee -a "$results"
    if [ "$cython" = 1 ]; then "${brian[@]}" --target cython 2>/dev/null | tee -a "$results"; fi
  fi
done
if [ -z "$brian_python" ]; then
  echo "Brian2 is not installed (Debian: apt-get install python3-brian g++): spikering figures only, no ratio."
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
groups = {}
for r in runs:
    name = "spikering " + r["delivery"] if r["simulator"] == "spikering" else "brian2 " + r["target"].split()[0]
    groups.setdefault(name, []).append(r)
def med(rs, key): return statistics.median(r[key] for r in rs)
for name, rs in groups.items():
    print(f"{name:42s} median of {len(rs)}: wall/sim {med(rs, 'wall_per_sim_s'):.4f} (best {min(r['wall_per_sim_s'] for r in rs):.4f})"
          f"  cpu/sim {med(rs, 'cpu_per_sim_s'):.4f}  spikes {med(rs, 'spikes'):.0f}  rate {med(rs, 'mean_rate_hz'):.3f} Hz")
ours = {k: v for k, v in groups.items() if k.startswith("spikering")}
for bname, b in groups.items():
    if not bname.startswith("brian2"):
        continue
    for oname, o in ours.items():
        print(f"ratio {bname} / {oname}: wall {med(b, 'wall_per_sim_s') / med(o, 'wall_per_sim_s'):.2f}x median, "
              f"{min(r['wall_per_sim_s'] for r in b) / min(r['wall_per_sim_s'] for r in o):.2f}x best  (> 1: spikering faster)")
one = [v for k, v in ours.items() if "direct" in k]
two = [v for k, v in ours.items() if "2 threads" in k or "2 handler" in k]
if one and two:
    print(f"spikering 1 -> 2 threads: {med(one[0], 'wall_per_sim_s') / med(two[0], 'wall_per_sim_s'):.2f}x (median wall)")
PY
