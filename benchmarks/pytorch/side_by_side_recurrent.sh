#!/usr/bin/env bash
# side-by-side: alternating Java / PyTorch, recurrent KerasLMU psMNIST config, 2 threads each, nice -n 5
cd /work/wt/recurrent
echo "# $(date -u) $(uname -r); $(java -version 2>&1 | head -1); torch $(/usr/bin/python3 -c 'import torch;print(torch.__version__)')"
for rep in 1 2 3; do
  echo "rep $rep java  load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
  nice -n 5 java -cp cli/target/spikering.jar io.spikering.training.TrainingThroughput recurrent 30 2 | tail -1
  echo "rep $rep torch load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
  nice -n 5 /usr/bin/python3 benchmarks/pytorch/lmu_training_bench.py recurrent 30 2
done
echo "end load: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
