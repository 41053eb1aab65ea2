package io.spikering.core.lmu;

import io.spikering.core.engine.Network;
import io.spikering.core.engine.OpCounter;
import io.spikering.core.engine.OpCounter.Op;
import io.spikering.core.energy.OpCounts;
import io.spikering.core.energy.OpKind;
import io.spikering.neuron.CountHistogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Operation counts and count histograms summed over several simulators (one per worker thread) of the same network,
 * with the same totals rule as {@link OpCounter#total(Op)}.
 */
public final class OpTotals
{
    private final Network network;
    private final OpCounter sum;

    public OpTotals(final Network network)
    {
        this.network = network;
        this.sum = new OpCounter(network);
    }

    /** Adds everything {@code counter} has counted. */
    public void add(final OpCounter counter)
    {
        sum.merge(counter);
    }

    public Network network()
    {
        return network;
    }

    public long population(final int id, final Op op)
    {
        return sum.population(id, op);
    }

    public long projection(final int id, final Op op)
    {
        return sum.projection(id, op);
    }

    /** Network total, as {@link OpCounter#total(Op)}. */
    public long total(final Op op)
    {
        return sum.total(op);
    }

    /** As {@link OpCounter#layer(int, Op)}. */
    public long layer(final int population, final Op op)
    {
        return sum.layer(population, op);
    }

    /** As {@link OpCounter#projectionSteps(int)}. */
    public long projectionSteps(final int id)
    {
        return sum.projectionSteps(id);
    }

    /** As {@link OpCounter#binaryInputOps(int)}. */
    public long binaryInputOps(final int id)
    {
        return sum.binaryInputOps(id);
    }

    /** As {@link OpCounter#populationSteps(int)}. */
    public long populationSteps(final int id)
    {
        return sum.populationSteps(id);
    }

    /** As {@link OpCounter#nonZeroOutputs(int)}. */
    public long nonZeroOutputs(final int id)
    {
        return sum.nonZeroOutputs(id);
    }

    /** Histogram of the per-neuron per-step counts of a spiking population (null for dense ones). */
    public CountHistogram histogram(final int population)
    {
        return sum.histogram(population);
    }

    /** Network totals divided by {@code samples}, as energy-model counts. */
    public OpCounts perSample(final long samples)
    {
        final Map<String, Double> m = new LinkedHashMap<>();
        for (final OpKind kind : OpKind.values())
        {
            m.put(kind.key(), (double)total(Op.valueOf(kind.name())) / samples);
        }
        return OpCounts.of(m);
    }
}
