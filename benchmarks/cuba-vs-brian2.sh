#!/usr/bin/env bash
# CUBA (Brette et al. 2007, NEST iaf_psc_exp) in spikering and in Brian2 (cython target), same machine, same run.
# Usage: benchmarks/cuba-vs-brian2.sh [--seconds S] [--warmup W] [--repeats R] [--seed N]
# Each simulator runs R times, alternating; prints every run's JSON, then medians and the Brian2/spikering ratio of
# wall and CPU seconds per simulated second (> 1: spikering is faster). Brian2 is skipped with a message when the
# Python module is not installed (Debian: apt-get install python3-brian).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=10; warmup=1; repeats=3; seed=42
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "unknown argument '$1'; usage: $0 [--seconds S] [--warmup W] [--repeats R] [--seed N]" >&2; exit 2 ;;
  esac
done

# Brian2 from Debian lives in the system Python; a pyenv/venv python3 first on PATH may not see it.
brian_python=""
for py in /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c "import brian2" >/dev/null 2>&1; then brian_python="$py"; break; fi
done

"$here/spikering" --version >/dev/null   # builds the CLI jar once, outside the timed runs
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1)"
[ -n "$brian_python" ] && echo "brian2: $("$brian_python" -c 'import brian2; print(brian2.__version__)' 2>/dev/null) ($brian_python)"
for r in $(seq "$repeats"); do
  "$here/spikering" bench cuba --seconds "$seconds" --warmup "$warmup" --seed "$seed" --json | tee -a "$results"
  if [ -n "$brian_python" ]; then
    "$brian_python" -W ignore "$here/benchmarks/brian2/cuba.py" --seconds "$seconds" --warmup "$warmup" --seed "$seed" 2>/dev/null | tee -a "$results"
  fi
done
if [ -z "$brian_python" ]; then
  echo "Brian2 is not installed (Debian: apt-get install python3-brian): spikering figures only, no ratio."
fi
python3 - "$results" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
ours = [r for r in runs if r["simulator"] == "spikering"]
brian = [r for r in runs if r["simulator"].startswith("brian2")]
def med(rs, key): return statistics.median(r[key] for r in rs)
def show(name, rs):
    print(f"{name:10s} median of {len(rs)}: wall/sim {med(rs, 'wall_per_sim_s'):.4f}  cpu/sim {med(rs, 'cpu_per_sim_s'):.4f}"
          f"  (best wall/sim {min(r['wall_per_sim_s'] for r in rs):.4f})  spikes {med(rs, 'spikes'):.0f}"
          f"  rate {med(rs, 'mean_rate_hz'):.3f} Hz  synaptic events/s {med(rs, 'synaptic_events_per_s'):.3g}")
show("spikering", ours)
if brian:
    show("brian2", brian)
    print(f"ratio brian2/spikering: wall {med(brian, 'wall_per_sim_s') / med(ours, 'wall_per_sim_s'):.2f}x"
          f"  cpu {med(brian, 'cpu_per_sim_s') / med(ours, 'cpu_per_sim_s'):.2f}x"
          f"  best-wall {min(r['wall_per_sim_s'] for r in brian) / min(r['wall_per_sim_s'] for r in ours):.2f}x  (> 1: spikering faster)")
PY
