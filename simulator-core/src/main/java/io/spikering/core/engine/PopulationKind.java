package io.spikering.core.engine;

/** What a population computes each step and what it emits. */
public enum PopulationKind
{
    /** Values fed per step through {@link Simulator#setInput(int, double[])}; emits them as a dense vector. */
    INPUT,
    /** Non-spiking rate neurons: output = f(input + bias), a dense vector. */
    RATE,
    /** Sigma-delta quantized neurons: emits events (neuron, signed count), value count * amplitude / dt. */
    SIGMA_DELTA,
    /** Current-based LIF neurons with excitatory and inhibitory ports: emits unit spikes. */
    LIF,
    /** Linear state space m &lt;- A m + B u per channel (the LMU memory): dense, or sigma-delta quantized. */
    STATE_SPACE
}
