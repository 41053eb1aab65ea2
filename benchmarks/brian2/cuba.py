#!/usr/bin/env python3
"""CUBA benchmark network (Brette et al. 2007, NEST iaf_psc_exp version) in Brian2: cython runtime target, or
compiled C++ (cpp_standalone, --target cpp_standalone).

The same network as `./spikering bench cuba` (io.spikering.core.bench.CubaNetwork):
3200 excitatory + 800 inhibitory current-based LIF neurons with exponential synaptic currents,
fixed in-degree CE = 64 excitatory and CI = 16 inhibitory sources per neuron, drawn without
replacement and without self-connections; delay 0.1 ms (= 1 step); dt = 0.1 ms.

    dv/dt    = (E_L - v)/tau_m + (I_ex + I_in)/C_m      (held at V_reset for t_ref after a spike)
    dI_ex/dt = -I_ex/tau_ex,   dI_in/dt = -I_in/tau_in,   I_ex += w_E and I_in += w_I per spike

E_L = -49 mV (above V_th = -50 mV, so the network fires without external drive), V_reset = -60 mV,
tau_m = 20 ms, C_m = 200 pF, t_ref = 5 ms, tau_ex = 5 ms, tau_in = 10 ms, w_E = 16.2 pA,
w_I = -139.5 pA; initial v uniform in [V_reset, V_th] from the seed, currents 0.

The state update is Brian2's 'exact' method (the linear system solved in closed form, like NEST's
exact integration for iaf_psc_exp). The wall time is that of run(--seconds) only: a warm-up
run(--warmup) first compiles the cython code objects (its time is reported separately).

With --target cpp_standalone the whole simulation (warm-up run, then the timed run) is one compiled binary in
--build-dir, single-threaded (no OpenMP); the "wall" time is the binary's own timer around the timed run
(Network::_last_run_time: no start-up, code generation, compilation or result writing), which Brian2 takes with
std::clock(), i.e. process CPU time: equal to the wall time of this single-threaded binary on an idle machine, the spikes those of the
timed run only (the monitor is inactive during the warm-up). --reuse runs an already compiled binary of the same
network again (the code is regenerated, identical, and not recompiled). cpu_s is then the binary's whole process CPU
time (start-up and warm-up included), an upper bound.
Prints one JSON object.
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def fixed_indegree_sources(rng, n_targets, n_sources, indegree, source_offset):
    """Per target j: `indegree` distinct sources in [0, n_sources), never the target itself."""
    sources = np.empty(n_targets * indegree, dtype=np.int64)
    for j in range(n_targets):
        own = j - source_offset  # index of the target inside the source population, if it is there
        if 0 <= own < n_sources:
            picked = rng.choice(n_sources - 1, size=indegree, replace=False)
            picked[picked >= own] += 1
        else:
            picked = rng.choice(n_sources, size=indegree, replace=False)
        sources[j * indegree:(j + 1) * indegree] = picked
    targets = np.repeat(np.arange(n_targets, dtype=np.int64), indegree)
    return sources, targets


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=1.0, help="simulated seconds timed (default 1)")
    parser.add_argument("--warmup", type=float, default=1.0, help="simulated seconds of warm-up/compile run (default 1)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--neurons", type=int, default=4000,
                        help="network size, a multiple of 5 (4/5 excitatory), same in-degrees (default 4000)")
    parser.add_argument("--target", choices=["cython", "cpp_standalone"], default="cython")
    parser.add_argument("--build-dir", default="brian2-cuba-standalone", help="cpp_standalone project directory")
    parser.add_argument("--reuse", action="store_true", help="cpp_standalone: run the binary already compiled in --build-dir")
    args = parser.parse_args()
    if not args.seconds > 0 or args.warmup < 0:
        parser.error("--seconds must be > 0 and --warmup >= 0")
    if args.neurons < 100 or args.neurons % 5 != 0:
        parser.error(f"--neurons must be a multiple of 5 and >= 100, got {args.neurons}")

    import brian2 as b2
    from brian2 import ms, mV, pA, pF, second

    standalone = args.target == "cpp_standalone"
    if standalone:
        b2.set_device("cpp_standalone", directory=args.build_dir, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0
    else:
        b2.prefs.codegen.target = "cython"
    b2.prefs.logging.console_log_level = "ERROR"
    b2.defaultclock.dt = 0.1 * ms

    n_e, n_i, ce, ci = args.neurons // 5 * 4, args.neurons // 5, 64, 16
    n = n_e + n_i
    params = dict(E_L=-49 * mV, V_th=-50 * mV, V_reset=-60 * mV, tau_m=20 * ms, C_m=200 * pF,
                  tau_ex=5 * ms, tau_in=10 * ms)
    eqs = """
    dv/dt = (E_L - v)/tau_m + (I_ex + I_in)/C_m : volt (unless refractory)
    dI_ex/dt = -I_ex/tau_ex : amp
    dI_in/dt = -I_in/tau_in : amp
    """
    # t_ref = 5 ms counted as NEST (and CubaLif) count it: v is held for round(t_ref/dt) = 50 steps after the spike
    # step. Brian2 integrates again once timestep(t - lastspike) >= timestep(refractory), i.e. it holds v for
    # round(refractory/dt) - 1 steps; refractory = 5.1 ms gives the same 50 held steps.
    neurons = b2.NeuronGroup(n, eqs, threshold="v >= V_th", reset="v = V_reset", refractory=5.1 * ms,
                             method="exact", namespace=params)
    rng = np.random.default_rng(args.seed)
    neurons.v = (-60 + rng.uniform(size=n) * 10) * mV

    src_e, tgt_e = fixed_indegree_sources(rng, n, n_e, ce, 0)
    src_i, tgt_i = fixed_indegree_sources(rng, n, n_i, ci, n_e)
    exc = b2.Synapses(neurons[:n_e], neurons, on_pre="I_ex_post += 16.2*pA", delay=0.1 * ms)
    exc.connect(i=src_e, j=tgt_e)
    inh = b2.Synapses(neurons[n_e:], neurons, on_pre="I_in_post += -139.5*pA", delay=0.1 * ms)
    inh.connect(i=src_i, j=tgt_i)
    spikes = b2.SpikeMonitor(neurons, record=False)  # counts only, no spike times kept

    net = b2.Network(neurons, exc, inh, spikes)
    if standalone:
        return standalone_run(args, b2, net, spikes, len(exc) + len(inh), n)
    t0 = time.perf_counter()
    if args.warmup > 0:
        net.run(args.warmup * second)
    warmup_wall = time.perf_counter() - t0
    before = int(spikes.num_spikes)
    c0 = time.process_time()
    t0 = time.perf_counter()
    net.run(args.seconds * second)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    count = int(spikes.num_spikes) - before
    print(json.dumps({
        "simulator": "brian2 " + b2.__version__,
        "target": "cython (runtime mode, 1 thread)",
        "integration": "exact (linear closed form)",
        "neurons": n,
        "synapses": len(exc) + len(inh),
        "dt_ms": 0.1,
        "seed": args.seed,
        "warmup_s": args.warmup,
        "warmup_wall_s": round(warmup_wall, 3),
        "simulated_s": args.seconds,
        "wall_s": round(wall, 4),
        "wall_per_sim_s": round(wall / args.seconds, 4),
        "cpu_s": round(cpu, 4),
        "cpu_per_sim_s": round(cpu / args.seconds, 4),
        "spikes": count,
        "mean_rate_hz": round(count / (n * args.seconds), 3),
        "synaptic_events_per_s": round(count * (len(exc) + len(inh)) / n / wall),
    }))
    return 0


def standalone_run(args, b2, net, spikes, synapses, n):
    import resource
    from brian2 import second
    if args.warmup > 0:
        spikes.active = False
        net.run(args.warmup * second)
        spikes.active = True
    net.run(args.seconds * second)
    device = b2.get_device()
    binary = os.path.join(args.build_dir, "main")
    if args.reuse and not os.path.isfile(binary):
        raise SystemExit(f"--reuse: no compiled binary {binary}; run once without --reuse first")
    t0 = time.perf_counter()
    device.build(directory=args.build_dir, compile=not args.reuse, run=False)
    build_wall = time.perf_counter() - t0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    device.run(args.build_dir, with_output=False, run_args=[])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = device._last_run_time
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    count = int(spikes.num_spikes)
    print(json.dumps({
        "simulator": "brian2 " + b2.__version__,
        "target": "cpp_standalone (compiled binary, 1 thread)",
        "integration": "exact (linear closed form)",
        "neurons": n,
        "synapses": synapses,
        "dt_ms": 0.1,
        "seed": args.seed,
        "warmup_s": args.warmup,
        "build_wall_s": round(build_wall, 3),
        "simulated_s": args.seconds,
        "wall_s": round(wall, 4),
        "wall_per_sim_s": round(wall / args.seconds, 4),
        "cpu_s": round(cpu, 4),
        "cpu_per_sim_s": round(cpu / args.seconds, 4),
        "cpu_note": "whole binary (start-up and warm-up included)",
        "spikes": count,
        "mean_rate_hz": round(count / (n * args.seconds), 3),
        "synaptic_events_per_s": round(count * synapses / n / wall),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
