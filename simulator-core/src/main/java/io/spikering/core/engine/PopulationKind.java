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
    STATE_SPACE,
    /**
     * Linear readout that integrates: output = scale * (sum of its inputs over its active steps) + output bias, a
     * dense vector (e.g. the mean of a spiking layer over a window times a readout matrix).
     */
    INTEGRATOR,
    /**
     * The state space m &lt;- A m + B u observed only in an output window [from, until): computed event by event from
     * the impulse response (each non-zero input at step t adds u * A^(s-t) B to every window step s &gt;= t), dense
     * output inside the window, nothing outside. Equals STATE_SPACE gated to the window in exact arithmetic.
     */
    LINEAR_FILTER,
    /**
     * NIR neuron primitives (I, IF, LI, LIF, CubaLI, CubaLIF, Threshold) with per-neuron parameters, stepped with dt
     * ({@link NeuronDynamics}): spiking models emit unit events valued spikeValue, the others their voltage, dense.
     */
    NEURON,
    /**
     * Output = the summed input of this step (plus bias), dense; no state and no neuron updates counted. Chains two
     * linear maps (e.g. pooling then a convolution) or hosts per-element delays.
     */
    PASS_THROUGH
}
