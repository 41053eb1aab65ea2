package io.spikering.core.record;

/**
 * Receives the events of one (step, population) excerpt read back from a recording. The arrays are reused
 * between calls: copy what you keep.
 */
@FunctionalInterface
public interface SpikeVisitor
{
    void onEvents(long step, int population, int[] neurons, int[] counts, int n);
}
