#!/usr/bin/env python3
"""Non-spiking psMNIST inference of a spikering LMU model file in PyTorch (reference for docs/benchmarks.md).

Reads the model file (safetensors, docs/model-format.md "LMU tensors") and the MNIST IDX files of the spikering
cache, builds psMNIST (pixels/255, numpy RandomState(seed).permutation(784), test split) and runs the same network
as `spikering run` non-spiking, in batches, float32:
  memory   m_t = A m_{t-1} + B u_t, u_t = e * p_t        (--memory recurrence: 784 batched steps of d x d)
           or the memory states of the K window steps from the impulse response A^k B as one matmul
           (--memory impulse: (batch x 784) @ (784 x K*d), the PyTorch counterpart of `--memory filter`)
  hidden   h_t = f(W_m^T m_t + W_x^T p_t + b) for the last K steps
  readout  logits = W_out^T mean_t(h_t) + b_out
Prints one JSON line: samples, accuracy, seconds, samples_per_second, threads, batch, memory, torch version.
"""
import argparse, json, os, struct, sys, time
import numpy as np
import torch


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    meta = header.pop('__metadata__', {})
    base = 8 + n
    tensors = {}
    for name, t in header.items():
        if t['dtype'] != 'F32':
            raise SystemExit(f'{path}: tensor {name} has dtype {t["dtype"]}, expected F32')
        b, e = t['data_offsets']
        tensors[name] = np.frombuffer(data[base + b:base + e], dtype='<f4').reshape(t['shape'])
    return meta, tensors


def idx(path, offset):
    with open(path, 'rb') as f:
        return np.frombuffer(f.read()[offset:], dtype=np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', required=True)
    ap.add_argument('--samples', type=int, default=10000)
    ap.add_argument('--batch', type=int, default=500)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--memory', choices=['recurrence', 'impulse'], default='recurrence')
    ap.add_argument('--mnist', default=os.path.join(os.environ.get('SPIKERING_CACHE', os.path.expanduser('~/.cache/spikering')), 'mnist'))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)
    meta, t = read_safetensors(a.model)
    arch = json.loads(meta['architecture'])
    seed = json.loads(meta.get('dataset', '{}')).get('permutation_seed', 0)
    d, n, K, T = arch['order'], arch['hidden_size'], arch['readout_window'], arch['steps']
    f = {'tanh': torch.tanh, 'relu': torch.relu}[arch['activation']]
    A = torch.from_numpy(t['lmu.memory.A'].copy())
    B = torch.from_numpy(t['lmu.memory.B'].copy())
    e = float(t['lmu.memory.input_encoder'][0])
    Wm = torch.from_numpy(t['lmu.hidden.memory_kernel'].copy())
    Wx = torch.from_numpy(t['lmu.hidden.input_kernel'].copy())
    b = torch.from_numpy(t['lmu.hidden.bias'].copy())
    Wo = torch.from_numpy(t['readout.kernel'].copy())
    bo = torch.from_numpy(t['readout.bias'].copy())
    images = idx(os.path.join(a.mnist, 't10k-images-idx3-ubyte'), 16).reshape(-1, 784)
    labels = idx(os.path.join(a.mnist, 't10k-labels-idx1-ubyte'), 8)
    perm = np.random.RandomState(seed).permutation(784)
    X = torch.from_numpy((images[:a.samples, perm].astype(np.float32) / np.float32(255.0)))
    y = torch.from_numpy(labels[:a.samples].astype(np.int64))
    At = A.t().contiguous()
    if a.memory == 'impulse':
        H = torch.zeros(T, d, dtype=torch.float64)
        H[0] = B.double()
        for k in range(1, T):
            H[k] = A.double() @ H[k - 1]
        W = torch.zeros(T, K, d, dtype=torch.float64)   # W[tau, k] = H[T-K+k-tau] for tau <= T-K+k
        for k in range(K):
            s = T - K + k
            W[:s + 1, k] = H[:s + 1].flip(0)
        W = W.reshape(T, K * d).float()

    def forward(x):
        u = e * x
        if a.memory == 'recurrence':
            m = torch.zeros(x.shape[0], d)
            acc = torch.zeros(x.shape[0], n)
            for step in range(T):
                m = torch.addmm(torch.outer(u[:, step], B), m, At)
                if step >= T - K:
                    acc += f(torch.addmm(b, m, Wm) + x[:, step:step + 1] * Wx)
        else:
            M = (u @ W).reshape(-1, K, d)
            acc = f(M @ Wm + x[:, T - K:, None] * Wx + b).sum(1)
        return torch.addmm(bo, acc / K, Wo)

    forward(X[:min(a.batch, 50)])  # warm-up
    start = time.perf_counter()
    correct = 0
    for i in range(0, a.samples, a.batch):
        logits = forward(X[i:i + a.batch])
        correct += int((logits.argmax(1) == y[i:i + a.batch]).sum())
    sec = time.perf_counter() - start
    print(json.dumps({'samples': a.samples, 'accuracy': correct / a.samples, 'seconds': sec, 'samples_per_second': a.samples / sec,
                      'threads': a.threads, 'batch': a.batch, 'memory': a.memory, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
