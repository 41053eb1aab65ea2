package io.spikering.core.engine;

/**
 * Receives the events of every event-emitting population (sigma-delta, LIF, quantized state space) once per step,
 * on the stepping thread, right after the population updated. The arrays are live engine buffers valid only during
 * the call: copy what you keep. Only indices [0, n) are meaningful. Called with n = 0 on silent steps too.
 */
@FunctionalInterface
public interface SpikeListener
{
    /**
     * @param step       the step index (0 after construction or reset)
     * @param population the population id
     * @param neurons    emitting neuron indices, ascending
     * @param counts     their signed counts (1 for LIF spikes)
     * @param n          number of events
     */
    void onEvents(long step, int population, int[] neurons, int[] counts, int n);
}
