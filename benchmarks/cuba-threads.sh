#!/usr/bin/env bash
# Thread scaling of the CUBA network family (docs/benchmarks.md): for each size, runs `spikering bench cuba` with
# --threads 1 (the direct single-threaded path), --threads T (auto: the partitioned step on all T threads from 40,000
# neurons on, the direct path below), --threads T --fixed (the partitioned step on all T threads at any size) and
# --threads T --adaptive (windows of steps run by the stepping thread alone when that measured faster), in turn,
# R times, and prints every run's JSON line, the median and best wall and CPU seconds per simulated second of each,
# the share of steps run on all threads, the speed-ups (median wall of 1 thread / median wall of T threads; > 1: T
# threads faster) and whether every run gave the same spikes and synaptic events. The load average is printed before
# and after: on a shared machine wall times are only comparable between runs taken close together, hence the turns.
# Usage: benchmarks/cuba-threads.sh [--neurons 4000,10000,40000,80000] [--threads T] [--seconds S] [--warmup W]
#                                   [--repeats R] [--seed N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes="4000,10000,40000,80000"; threads=2; seconds=2; warmup=1; repeats=5; seed=42
usage="usage: $0 [--neurons N1,N2,...] [--threads T] [--seconds S] [--warmup W] [--repeats R] [--seed N]"
while [ $# -gt 0 ]; do
  case "$1" in
    --neurons) sizes="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "unknown argument '$1'; $usage" >&2; exit 2 ;;
  esac
done
if ! [[ "$threads" =~ ^[0-9]+$ ]] || [ "$threads" -lt 2 ]; then
  echo "--threads must be an integer >= 2 (it is compared with 1 thread), got '$threads'" >&2; exit 2
fi

"$here/spikering" --version >/dev/null   # builds the CLI jar once, outside the timed runs
results="$(mktemp)"
trap 'rm -rf "$results"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
for n in ${sizes//,/ }; do
  for r in $(seq "$repeats"); do
    for variant in "1" "$threads" "$threads --fixed" "$threads --adaptive"; do
      # shellcheck disable=SC2086 # the variant is "T", "T --fixed" or "T --adaptive"
      "$here/spikering" bench cuba --threads $variant --neurons "$n" --seconds "$seconds" --warmup "$warmup" --seed "$seed" --json \
        | tee -a "$results"
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" "$threads" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
threads = int(sys.argv[2])
sizes = sorted({r["neurons"] for r in runs})
med = lambda rs, k: statistics.median(r[k] for r in rs)
print(f"{'neurons':>8} {'variant':<32} {'runs':>4} {'wall/sim median':>15} {'(best)':>8} {'cpu/sim median':>14} {'all threads':>11}  spikes")
for n in sizes:
    groups = {}
    for r in runs:
        if r["neurons"] == n:
            groups.setdefault(r["delivery"], []).append(r)
    for name, rs in groups.items():
        print(f"{n:>8} {name:<32} {len(rs):>4} {med(rs, 'wall_per_sim_s'):>15.4f} {min(r['wall_per_sim_s'] for r in rs):>8.4f}"
              f" {med(rs, 'cpu_per_sim_s'):>14.4f} {100 * med(rs, 'parallel_share'):>10.0f}%  {rs[0]['spikes']}")
    one = next(rs for name, rs in groups.items() if name.startswith("direct"))
    for name, rs in groups.items():
        if not name.startswith("direct"):
            print(f"{n:>8} speed-up 1 -> {name}: {med(one, 'wall_per_sim_s') / med(rs, 'wall_per_sim_s'):.2f}x median wall,"
                  f" {min(r['wall_per_sim_s'] for r in one) / min(r['wall_per_sim_s'] for r in rs):.2f}x best")
    same = len({(r["spikes"], r["spikes_inh"], r["synaptic_events"]) for rs in groups.values() for r in rs}) == 1
    print(f"{n:>8} identical spikes and synaptic events in all runs: {'yes' if same else 'NO'}")
PY
