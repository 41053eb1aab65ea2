#!/usr/bin/env python3
"""PyTorch reference for spikering's training throughput (samples/s of forward + backward + Adam step).

Same networks, shapes and batch as spikering's `io.spikering.training.TrainingThroughput`, on random
psMNIST-shaped data (speed only; nothing is learned):

  parallel   the shipped feed-forward-in-time LMU: memory features of the last K=16 steps precomputed
             (order 256), hidden Linear(257 -> 512) + tanh per step, mean over the window, Linear(512 -> 10)
  recurrent  KerasLMU's psMNIST configuration: Legendre memory order 256, theta 784 (ZOH, fixed A, B,
             input encoder trainable), hidden h_t = tanh(W [m_t; x_t] + U h_{t-1} + b) with 212 units,
             Dense(10) on the last h, full BPTT over 784 steps, batch 100

Usage (Debian's python3-torch):  /usr/bin/python3 lmu_training_bench.py parallel|recurrent [seconds] [threads]
"""
import sys
import time

import numpy as np
import torch


def legendre_zoh(order, theta):
    q = np.arange(order, dtype=np.float64)
    r = (2 * q + 1)[:, None] / theta
    j, i = np.meshgrid(q, q)
    a = np.where(i < j, -1, (-1.0) ** (i - j + 1)) * r
    b = (-1.0) ** q[:, None] * r
    m = np.zeros((order + 1, order + 1))
    m[:order, :order] = a
    m[:order, order:] = b
    e = torch.linalg.matrix_exp(torch.tensor(m)).numpy()
    return e[:order, :order], e[:order, order]


def parallel(seconds):
    batch, window, order, hidden = 100, 16, 256, 512
    feats = torch.randn(batch, window, order + 1)
    labels = torch.randint(0, 10, (batch,))
    hid = torch.nn.Linear(order + 1, hidden)
    out = torch.nn.Linear(hidden, 10)
    opt = torch.optim.Adam(list(hid.parameters()) + list(out.parameters()), lr=1e-3)
    return run(seconds, batch, lambda: torch.nn.functional.cross_entropy(out(torch.tanh(hid(feats)).mean(1)), labels), opt,
               "parallel LMU (512 tanh, K=16, order 256, features precomputed)")


def recurrent(seconds):
    batch, steps, order, hidden = 100, 784, 256, 212
    a, b = legendre_zoh(order, 784.0)
    at = torch.tensor(a.T, dtype=torch.float32)
    bt = torch.tensor(b, dtype=torch.float32)
    x = (torch.rand(batch, steps, 1) < 0.2).float() * torch.rand(batch, steps, 1)
    labels = torch.randint(0, 10, (batch,))
    enc = torch.nn.Parameter(torch.ones(1, 1))
    kernel = torch.nn.Linear(order + 1, hidden)
    rec = torch.nn.Linear(hidden, hidden, bias=False)
    out = torch.nn.Linear(hidden, 10)
    params = [enc] + list(kernel.parameters()) + list(rec.parameters()) + list(out.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)

    def loss():
        m = torch.zeros(batch, order)
        h = torch.zeros(batch, hidden)
        for t in range(steps):
            xt = x[:, t]
            u = xt @ enc
            m = m @ at + u * bt
            h = torch.tanh(kernel(torch.cat([m, xt], 1)) + rec(h))
        return torch.nn.functional.cross_entropy(out(h), labels)

    return run(seconds, batch, loss, opt, "recurrent LMU (KerasLMU psMNIST: 212 tanh + recurrent kernel, order 256, 784 steps, BPTT)")


def run(seconds, batch, loss_fn, opt, name):
    def step():
        opt.zero_grad()
        loss_fn().backward()
        opt.step()

    step()  # warm-up
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        done += batch
    elapsed = time.perf_counter() - start
    print(f"pytorch {torch.__version__} {name}, {torch.get_num_threads()} threads: "
          f"{done} samples in {elapsed:.1f} s = {done / elapsed:.2f} training samples/s")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "parallel"
    secs = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    if len(sys.argv) > 3:
        torch.set_num_threads(int(sys.argv[3]))
    {"parallel": parallel, "recurrent": recurrent}[mode](secs)
