#!/usr/bin/env bash
# Streaming latency at a high rate, queue pre-touching off vs on, alternating in one run (docs/streaming.md,
# "Pre-touching the queues").
# Usage: benchmarks/stream-latency.sh [--rate HZ] [--duration S] [--repeats R] [--dir DIR] [-- extra 'stream latency' options]
# Each round runs `stream latency` twice, first with --pretouch-kb 0 (off), then with the default distance (on), pinned
# the recommended way on 2 cores (taskset -c 0, stream thread on CPU 1, feeder on CPU 0), queues on --dir's file system
# (default: a new directory under runs/, i.e. the default disk; pass --dir /dev/shm/x for tmpfs). Prints the load
# average before each run and, per run, the append-to-output percentiles, the append part and the runner thread's
# page faults; then a table of both settings' p99 and max, run by run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate=50000; duration=10; repeats=3; base="$here/runs/stream-latency-$$"
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --dir) base="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown argument '$1'; usage: $0 [--rate HZ] [--duration S] [--repeats R] [--dir DIR] [-- extra options]" >&2; exit 2 ;;
  esac
done
"$here/spikering" --version >/dev/null   # builds the CLI jar once, outside the timed runs
mkdir -p "$base"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); queues under $base ($(df -T "$base" | awk 'NR==2{print $2}'))"
summary="$base/summary.txt"
: > "$summary"
trap 'rm -rf "$base"' EXIT
for round in $(seq 1 "$repeats"); do
  for kb in 0 4096; do
    dir="$base/r$round-kb$kb"
    echo "== round $round, --pretouch-kb $kb, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    out="$(SPIKERING_NO_BUILD=1 taskset -c 0 "$here/spikering" stream latency --rate "$rate" --duration "$duration" \
      --runner-cpu 1 --feeder-cpu 0 --pretouch-kb "$kb" --dir "$dir" "$@" 2>&1)" || { echo "$out"; exit 1; }
    echo "$out" | grep -E '^(append-to-output|service time|  append|  stalled|runner thread)'
    rm -rf "$dir"
    p99="$(echo "$out" | sed -nE 's/^append-to-output latency: .*p99 ([0-9.]+) µs, p99.9 ([0-9.]+) µs, max ([0-9.]+) µs.*/\1 \2 \3/p')"
    faults="$(echo "$out" | sed -nE 's/.* ([0-9]+) minor page faults.*/\1/p')"
    amax="$(echo "$out" | awk '$1=="append"{print $5}')"
    echo "$round $kb $p99 $amax $faults" >> "$summary"
  done
done
echo
echo "round  pretouch-KiB  p99-µs  p99.9-µs  max-µs  append-max-µs  runner-minor-faults"
awk '{printf "%5s  %12s  %6s  %8s  %6s  %13s  %19s\n", $1, $2, $3, $4, $5, $6, $7}' "$summary"
