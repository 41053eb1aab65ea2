#!/usr/bin/env python3
"""PyTorch reference for spikering's training throughput (samples/s of forward + backward + Adam step).

Same networks, shapes and batch as spikering's `io.spikering.training.TrainingThroughput`, on random
psMNIST-shaped data (speed only; nothing is learned):

  parallel   the shipped feed-forward-in-time LMU: memory features of the last K=16 steps precomputed
             (order 256), hidden Linear(257 -> 512) + tanh per step, mean over the window, Linear(512 -> 10)
  recurrent  KerasLMU's psMNIST configuration: Legendre memory order 256, theta 784 (ZOH, fixed A, B,
             input encoder trainable), hidden h_t = tanh(W [m_t; x_t] + U h_{t-1} + b) with 212 units,
             Dense(10) on the last h, full BPTT over 784 steps, batch 100 (the network as KerasLMU runs it:
             the memory is stepped and backpropagated through at every step)
  recurrent-fixedmem
             the same network and gradients with the fixed-memory structure: the memory is a fixed linear
             filter of the input, m_t = e_x * sum_i x_i H_{t-1-i} with the impulse response H_j = A^j B
             (precomputed once); per step of training the memory of the raw input is one FFT convolution
             (data only, no autograd), the memory-to-hidden term of all steps one GEMM, and only the hidden
             recurrence is stepped (no per-step memory recurrence, no backpropagation through the memory)
  recurrent-fixedmem-fft
             as spikering computes it: g_j = W_m^T H_j, W_m^T m_t = e_x * sum_i x_i g_{t-1-i} by FFT with
             autograd through it (slower than recurrent-fixedmem in PyTorch on this machine)
  check      recurrent vs both fixed-memory variants: loss and gradients on the same parameters and data

Usage (Debian's python3-torch):
  /usr/bin/python3 lmu_training_bench.py parallel|recurrent|recurrent-fixedmem|recurrent-fixedmem-fft|check [seconds] [threads]
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


class Recurrent:
    """KerasLMU's psMNIST network on random psMNIST-shaped data (20% of the steps non-zero, uniform in [0, 1))."""

    def __init__(self, batch=100, steps=784, order=256, hidden=212):
        self.batch, self.steps, self.order, self.hidden = batch, steps, order, hidden
        a, b = legendre_zoh(order, 784.0)
        self.at = torch.tensor(a.T, dtype=torch.float32)
        self.bt = torch.tensor(b, dtype=torch.float32)
        impulse = np.zeros((steps, order))
        impulse[0] = b
        for j in range(1, steps):
            impulse[j] = a @ impulse[j - 1]
        self.impulse = torch.tensor(impulse, dtype=torch.float32)  # H_j = A^j B, fixed
        self.x = (torch.rand(batch, steps, 1) < 0.2).float() * torch.rand(batch, steps, 1)
        self.x_spectrum = torch.fft.rfft(self.x[:, :, 0], n=2 * steps)  # fixed data, computed once
        self.labels = torch.randint(0, 10, (batch,))
        self.enc = torch.nn.Parameter(torch.ones(1, 1))
        self.kernel = torch.nn.Linear(order + 1, hidden)
        self.rec = torch.nn.Linear(hidden, hidden, bias=False)
        self.out = torch.nn.Linear(hidden, 10)
        self.params = [self.enc] + list(self.kernel.parameters()) + list(self.rec.parameters()) + list(self.out.parameters())

    def loss_stepped(self):
        m = torch.zeros(self.batch, self.order)
        h = torch.zeros(self.batch, self.hidden)
        for t in range(self.steps):
            xt = self.x[:, t]
            u = xt @ self.enc
            m = m @ self.at + u * self.bt
            h = torch.tanh(self.kernel(torch.cat([m, xt], 1)) + self.rec(h))
        return torch.nn.functional.cross_entropy(self.out(h), self.labels)

    def loss_fixed_memory_gemm(self):
        n = 2 * self.steps
        with torch.no_grad():  # the memory of the raw input: data only, by FFT convolution with H
            memory = torch.fft.irfft(self.x_spectrum[:, None, :] * torch.fft.rfft(self.impulse.t(), n=n)[None], n=n)[:, :, :self.steps]
            memory = memory.permute(2, 0, 1).contiguous()  # steps x batch x order
        w = self.kernel.weight
        pre = self.enc[0, 0] * (memory @ w[:, :self.order].t()) + self.x.transpose(0, 1) * w[:, self.order] + self.kernel.bias
        h = torch.zeros(self.batch, self.hidden)
        for pre_t in pre.unbind(0):
            h = torch.tanh(pre_t + self.rec(h))
        return torch.nn.functional.cross_entropy(self.out(h), self.labels)

    def loss_fixed_memory(self):
        w = self.kernel.weight  # hidden x (order + 1): [W_m^T | W_x^T]
        g = self.impulse @ w[:, :self.order].t()  # g_j = W_m^T H_j, steps x hidden
        n = 2 * self.steps
        conv = torch.fft.irfft(self.x_spectrum[:, None, :] * torch.fft.rfft(g.t(), n=n)[None], n=n)[:, :, :self.steps]
        # steps x batch x hidden, contiguous, so that every step's slice is a dense batch x hidden matrix
        pre = (self.enc[0, 0] * conv.permute(2, 0, 1) + self.x.transpose(0, 1) * w[:, self.order] + self.kernel.bias).contiguous()
        h = torch.zeros(self.batch, self.hidden)
        for pre_t in pre.unbind(0):  # one backward for all slices (indexing pre[t] would zero-fill all of pre per step)
            h = torch.tanh(pre_t + self.rec(h))
        return torch.nn.functional.cross_entropy(self.out(h), self.labels)


NAME = "recurrent LMU (KerasLMU psMNIST: 212 tanh + recurrent kernel, order 256, 784 steps, BPTT)"


def recurrent(seconds):
    net = Recurrent()
    return run(seconds, net.batch, net.loss_stepped, torch.optim.Adam(net.params, lr=1e-3), NAME)


def recurrent_fixedmem(seconds):
    net = Recurrent()
    return run(seconds, net.batch, net.loss_fixed_memory_gemm, torch.optim.Adam(net.params, lr=1e-3),
               NAME + " [fixed memory: FFT-convolved memory, one W_m GEMM]")


def recurrent_fixedmem_fft(seconds):
    net = Recurrent()
    return run(seconds, net.batch, net.loss_fixed_memory, torch.optim.Adam(net.params, lr=1e-3),
               NAME + " [fixed memory: g = W_m^T H, FFT convolution with autograd]")


def check(_seconds):
    torch.manual_seed(0)
    net = Recurrent(batch=8)
    with torch.no_grad():
        net.enc.fill_(0.7)
    grads = []
    for f in (net.loss_stepped, net.loss_fixed_memory_gemm, net.loss_fixed_memory):
        for p in net.params:
            p.grad = None
        loss = f()
        loss.backward()
        grads.append((loss.item(), [p.grad.clone() for p in net.params]))
    l0, g0 = grads[0]
    for name, (l1, g1) in zip(("recurrent-fixedmem", "recurrent-fixedmem-fft"), grads[1:]):
        worst = max(float((a - b).abs().max() / b.abs().max()) for a, b in zip(g1, g0))
        print(f"loss recurrent {l0:.7f} {name} {l1:.7f}; max |gradient difference| / max |gradient| per tensor {worst:.2e}")


def run(seconds, batch, loss_fn, opt, name):
    def step():
        opt.zero_grad()
        loss_fn().backward()
        opt.step()

    step()  # warm-up
    done = 0
    cpu = time.process_time()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        done += batch
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(f"pytorch {torch.__version__} {name}, {torch.get_num_threads()} threads: "
          f"{done} samples in {elapsed:.1f} s = {done / elapsed:.2f} training samples/s "
          f"({cpu:.1f} CPU s: {done / cpu:.2f} samples per CPU-second)")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "parallel"
    secs = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    if len(sys.argv) > 3:
        torch.set_num_threads(int(sys.argv[3]))
    {"parallel": parallel, "recurrent": recurrent, "recurrent-fixedmem": recurrent_fixedmem,
     "recurrent-fixedmem-fft": recurrent_fixedmem_fft, "check": check}[mode](secs)
