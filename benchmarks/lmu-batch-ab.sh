#!/usr/bin/env bash
# psMNIST inference, batched against one sample at a time: `spikering run --batch 1` and `--batch B` alternating on
# the same model and samples, R rounds; prints samples/s per run (spiking and non-spiking), the medians and the ratio.
# Usage: benchmarks/lmu-batch-ab.sh [MODEL] [SAMPLES] [BATCH] [ROUNDS]   (MEMORY=fused|filter, THREADS=2 by default)
# Predictions and op counts are identical for every batch size (BatchedEvaluationTest); the accuracies printed agree.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-$here/models/psmnist-lmu-hybrid.safetensors}"
samples="${2:-3000}"
batch="${3:-32}"
rounds="${4:-3}"
memory="${MEMORY:-fused}"
threads="${THREADS:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(java -version 2>&1 | head -1); model $model, $samples samples, memory $memory, $threads threads, batch 1 vs $batch, $rounds rounds"
"$here/spikering" --version >/dev/null   # build once, outside the timings
for r in $(seq "$rounds"); do
  for b in 1 "$batch"; do
    "$here/spikering" run --model "$model" --dataset psmnist --samples "$samples" --threads "$threads" --memory "$memory" \
      --batch "$b" --no-progress --warmup 300 --energy-profile loihi --json "$out/run-$r-$b.json" >/dev/null
  done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$batch" <<'PY'
import json, os, statistics, sys
d, batch = sys.argv[1], sys.argv[2]
runs = {}
for f in sorted(os.listdir(d)):
    b = f.rsplit('-', 1)[1][:-5]
    runs.setdefault(b, []).append(json.load(open(os.path.join(d, f))))
for b, rs in runs.items():
    for r in rs:
        print(f"batch {b:>4}: spiking {r['samples_per_second']:8.1f} samples/s ({100 * r['accuracy']:.2f}%), "
              f"non-spiking {r['non_spiking']['samples_per_second']:8.1f} ({100 * r['non_spiking']['accuracy']:.2f}%)")
med = {b: (statistics.median(r['samples_per_second'] for r in rs), statistics.median(r['non_spiking']['samples_per_second'] for r in rs))
       for b, rs in runs.items()}
print(f"median batch {batch} / batch 1: spiking {med[batch][0] / med['1'][0]:.2f}x, non-spiking {med[batch][1] / med['1'][1]:.2f}x")
PY
