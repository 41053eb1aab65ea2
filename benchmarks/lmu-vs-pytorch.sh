#!/usr/bin/env bash
# psMNIST LMU inference: spikering (event engine, each memory mode) vs PyTorch non-spiking (same model file, same
# test samples, same CPU, one run). Usage: benchmarks/lmu-vs-pytorch.sh [MODEL] [SAMPLES] [RECURRENCE_SAMPLES]
# Needs Debian's python3-torch (apt-get install -y python3-torch) and MNIST (./spikering data fetch mnist).
# PyTorch runs with 1 thread and with THREADS threads: on this 2-core machine its intra-op and BLAS pools
# oversubscribe the cores at 2 threads (recurrence 5-14x slower), so every ratio is against its faster setting.
# spikering runs its default batched path (run --batch 32: 32 samples per thread in lockstep, docs/benchmarks.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-$here/models/psmnist-lmu-hybrid.safetensors}"
samples="${2:-10000}"
rsamples="${3:-500}"
threads="${THREADS:-2}"
out="$(mktemp -d)"
py=/usr/bin/python3
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -srm), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(java -version 2>&1 | head -1); torch $($py -c 'import torch; print(torch.__version__)')"
echo "# model $model, $samples samples (recurrence: $rsamples), $threads threads"
"$here/spikering" --version >/dev/null   # build once, outside the timings
for mode in fused filter; do
  "$here/spikering" run --model "$model" --dataset psmnist --samples "$samples" --threads "$threads" --memory "$mode" \
    --no-progress --warmup 300 --energy-profile loihi --json "$out/java-$mode.json" >/dev/null
done
"$here/spikering" run --model "$model" --dataset psmnist --samples "$rsamples" --threads "$threads" --memory recurrence \
  --no-progress --warmup 300 --energy-profile loihi --json "$out/java-recurrence.json" >/dev/null
for t in 1 "$threads"; do
  $py "$here/benchmarks/pytorch/lmu_infer.py" --model "$model" --samples "$samples" --threads "$t" --memory impulse > "$out/torch-impulse-$t.json"
  $py "$here/benchmarks/pytorch/lmu_infer.py" --model "$model" --samples "$rsamples" --threads "$t" --memory recurrence > "$out/torch-recurrence-$t.json"
done
$py - "$out" <<'PY'
import json, sys, os
d = sys.argv[1]
j = {m: json.load(open(os.path.join(d, f'java-{m}.json'))) for m in ['fused', 'filter', 'recurrence']}
runs = [json.load(open(os.path.join(d, f))) for f in sorted(os.listdir(d)) if f.startswith('torch-')]
# per memory algorithm, PyTorch's faster thread setting
t = {m: max((r for r in runs if r['memory'] == m), key=lambda r: r['samples_per_second']) for m in ['impulse', 'recurrence']}
best_torch = max(t.values(), key=lambda r: r['samples_per_second'])
print('| implementation | memory | samples | accuracy | samples/s | vs fastest PyTorch | vs PyTorch, same memory algorithm |')
print('|---|---|---|---|---|---|---|')
same = {'fused': 'impulse', 'filter': 'impulse', 'recurrence': 'recurrence'}
for m, r in j.items():
    for tag, rr in [('spikering spiking (dt %g)' % r['dt'], r), ('spikering non-spiking', r['non_spiking'])]:
        sps = rr['samples_per_second']
        print(f"| {tag} | {m} | {r['samples']} | {100 * rr['accuracy']:.2f}% | {sps:.1f} | {sps / best_torch['samples_per_second']:.2f}x | "
              f"{sps / t[same[m]]['samples_per_second']:.2f}x |")
for r in runs:
    m = r['memory']
    print(f"| PyTorch {r['torch']} non-spiking, batch {r['batch']}, {r['threads']} threads | {m} | {r['samples']} | {100 * r['accuracy']:.2f}% | "
          f"{r['samples_per_second']:.1f} | {r['samples_per_second'] / best_torch['samples_per_second']:.2f}x | {r['samples_per_second'] / t[m]['samples_per_second']:.2f}x |")
PY
rm -rf "$out"
