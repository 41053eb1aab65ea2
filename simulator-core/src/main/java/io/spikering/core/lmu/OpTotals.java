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
    private static final Op[] OPS = Op.values();

    private final Network network;
    private final long[][] byPopulation;
    private final long[][] byProjection;
    private final CountHistogram[] histograms;

    public OpTotals(final Network network)
    {
        this.network = network;
        byPopulation = new long[OPS.length][network.populationCount()];
        byProjection = new long[OPS.length][network.projectionCount()];
        histograms = new CountHistogram[network.populationCount()];
        for (int p = 0; p < histograms.length; p++)
        {
            if (network.population(p).isSpiking())
            {
                histograms[p] = new CountHistogram();
            }
        }
    }

    /** Adds everything {@code counter} has counted. */
    public void add(final OpCounter counter)
    {
        for (final Op op : OPS)
        {
            for (int p = 0; p < network.populationCount(); p++)
            {
                byPopulation[op.ordinal()][p] += counter.population(p, op);
            }
            for (int r = 0; r < network.projectionCount(); r++)
            {
                byProjection[op.ordinal()][r] += counter.projection(r, op);
            }
        }
        for (int p = 0; p < histograms.length; p++)
        {
            if (histograms[p] != null)
            {
                histograms[p].merge(counter.histogram(p));
            }
        }
    }

    public Network network()
    {
        return network;
    }

    public long population(final int id, final Op op)
    {
        return byPopulation[op.ordinal()][id];
    }

    public long projection(final int id, final Op op)
    {
        return byProjection[op.ordinal()][id];
    }

    /** Network total, as {@link OpCounter#total(Op)}. */
    public long total(final Op op)
    {
        long sum = 0;
        if (op != Op.EVENTS && op != Op.NEURON_UPDATES)
        {
            for (final long v : byProjection[op.ordinal()])
            {
                sum += v;
            }
        }
        if (op != Op.SYNOPS && op != Op.ROW_ADDS && op != Op.SHIFT_ADDS)
        {
            for (final long v : byPopulation[op.ordinal()])
            {
                sum += v;
            }
        }
        return sum;
    }

    /**
     * Ops attributed to a population as a layer: its own counts (events, neuron updates, state-space MACs) plus
     * the projections arriving at it (the synaptic work done to compute its input).
     */
    public long layer(final int population, final Op op)
    {
        long sum = op == Op.SYNOPS || op == Op.ROW_ADDS || op == Op.SHIFT_ADDS ? 0 : byPopulation[op.ordinal()][population];
        if (op != Op.EVENTS && op != Op.NEURON_UPDATES)
        {
            for (int r = 0; r < network.projectionCount(); r++)
            {
                if (network.projection(r).target() == population)
                {
                    sum += byProjection[op.ordinal()][r];
                }
            }
        }
        return sum;
    }

    /** Histogram of the per-neuron per-step counts of a spiking population (null for dense ones). */
    public CountHistogram histogram(final int population)
    {
        return histograms[population];
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
