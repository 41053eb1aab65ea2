package io.spikering.core.engine;

import io.spikering.neuron.BitMetrics;
import io.spikering.neuron.CountHistogram;

import java.util.Arrays;

/**
 * Operation counts of a {@link Simulator} since construction or {@link #clear()}, per projection, per population and
 * in total (definitions in docs/op-counts.md):
 * <ul>
 * <li>EVENTS: non-zero outputs of spiking/quantized populations (per projection: events sent along it);</li>
 * <li>SYNOPS: sum over events of |count| x non-zero fan-out of the event's row;</li>
 * <li>ROW_ADDS: sum over events of non-zero fan-out (one add per target per event);</li>
 * <li>SHIFT_ADDS: sum over events of significantBits(|count|) x non-zero fan-out;</li>
 * <li>MACS_EFFECTIVE: dense sources: non-zero inputs x their non-zero weights; state spaces: nnz(A) + nnz(B) per
 * channel per step;</li>
 * <li>MACS_DENSE: every projection: {@link Projection#denseMacsPerStep()} per step (source size x target size, or the
 * size of a one-to-one projection, or as stated); state spaces: (d^2 + d) per channel;</li>
 * <li>NEURON_UPDATES: output units of every non-input population, per active step (a LINEAR_FILTER: per window
 * step).</li>
 * </ul>
 * Populations outside their active window and projections arriving at a target outside its window count nothing.
 * A LINEAR_FILTER counts as MACS_EFFECTIVE the non-zero impulse-response entries it adds per input event, and as
 * MACS_DENSE channels x d x (window steps still ahead) for every input step, as a dense convolution would.
 * <ul>
 * </ul>
 */
public final class OpCounter
{
    /** The counted operations. */
    public enum Op
    {
        EVENTS,
        SYNOPS,
        ROW_ADDS,
        SHIFT_ADDS,
        MACS_EFFECTIVE,
        MACS_DENSE,
        NEURON_UPDATES
    }

    private static final int OPS = Op.values().length;

    private final long[][] byProjection;
    private final long[][] byPopulation;
    // For NeuroBench's metrics (NeuroBenchMetrics): steps counted, effective ops of steps whose inputs were all in
    // {-1, 0, +1} (per projection); active steps and non-zero outputs (per population)
    private final long[] projectionSteps;
    private final long[] binaryInputOps;
    private final long[] populationSteps;
    private final long[] nonZeroOutputs;
    private final CountHistogram[] histograms;
    private final int[] projectionTarget;
    private long steps;

    /** An empty counter for {@code network}: the simulator's own, or one that sums others with {@link #merge}. */
    public OpCounter(final Network network)
    {
        projectionTarget = new int[network.projectionCount()];
        for (int r = 0; r < projectionTarget.length; r++)
        {
            projectionTarget[r] = network.projection(r).target();
        }
        byProjection = new long[OPS][network.projectionCount()];
        byPopulation = new long[OPS][network.populationCount()];
        projectionSteps = new long[network.projectionCount()];
        binaryInputOps = new long[network.projectionCount()];
        populationSteps = new long[network.populationCount()];
        nonZeroOutputs = new long[network.populationCount()];
        histograms = new CountHistogram[network.populationCount()];
        for (int p = 0; p < histograms.length; p++)
        {
            if (network.population(p).isSpiking())
            {
                histograms[p] = new CountHistogram();
            }
        }
    }

    /** Count of {@code op} on projection {@code id}. */
    public long projection(final int id, final Op op)
    {
        return byProjection[op.ordinal()][id];
    }

    /** Count of {@code op} on population {@code id} (EVENTS emitted, NEURON_UPDATES, its own state-space MACs). */
    public long population(final int id, final Op op)
    {
        return byPopulation[op.ordinal()][id];
    }

    /**
     * Network total: EVENTS and NEURON_UPDATES summed over populations; SYNOPS, ROW_ADDS and SHIFT_ADDS over
     * projections; MACS_* over projections plus the populations' own state-space MACs.
     */
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

    /** Steps on which projection {@code id} was counted (its target active at the arrival step). */
    public long projectionSteps(final int id)
    {
        return projectionSteps[id];
    }

    /**
     * The effective ops of projection {@code id} (ROW_ADDS from a spiking source, MACS_EFFECTIVE from a dense one)
     * counted on steps where every value it carried was -1, 0 or +1: NeuroBench's accumulates (ACs).
     */
    public long binaryInputOps(final int id)
    {
        return binaryInputOps[id];
    }

    /** Steps on which population {@code id} was active (updated). */
    public long populationSteps(final int id)
    {
        return populationSteps[id];
    }

    /** Non-zero outputs of population {@code id} over its active steps (a spiking population: its events). */
    public long nonZeroOutputs(final int id)
    {
        return nonZeroOutputs[id];
    }

    /** Histogram of per-neuron per-step counts (zeros included) of a spiking population; null for dense ones. */
    public CountHistogram histogram(final int population)
    {
        return histograms[population];
    }

    /**
     * Ops attributed to a population as a layer: its own counts (events, neuron updates, state-space MACs) plus
     * those of the projections arriving at it (the synaptic work done to compute its input).
     */
    public long layer(final int population, final Op op)
    {
        long sum = op == Op.SYNOPS || op == Op.ROW_ADDS || op == Op.SHIFT_ADDS ? 0 : byPopulation[op.ordinal()][population];
        if (op != Op.EVENTS && op != Op.NEURON_UPDATES)
        {
            for (int r = 0; r < projectionTarget.length; r++)
            {
                if (projectionTarget[r] == population)
                {
                    sum += byProjection[op.ordinal()][r];
                }
            }
        }
        return sum;
    }

    /** Adds everything {@code other} (a counter of the same network, e.g. another worker's) has counted. */
    public void merge(final OpCounter other)
    {
        if (other.byPopulation[0].length != byPopulation[0].length || other.projectionTarget.length != projectionTarget.length)
        {
            throw new IllegalArgumentException("cannot merge op counts of a different network");
        }
        for (int op = 0; op < OPS; op++)
        {
            for (int p = 0; p < byPopulation[op].length; p++)
            {
                byPopulation[op][p] += other.byPopulation[op][p];
            }
            for (int r = 0; r < byProjection[op].length; r++)
            {
                byProjection[op][r] += other.byProjection[op][r];
            }
        }
        for (int p = 0; p < histograms.length; p++)
        {
            if (histograms[p] != null)
            {
                histograms[p].merge(other.histograms[p]);
            }
            populationSteps[p] += other.populationSteps[p];
            nonZeroOutputs[p] += other.nonZeroOutputs[p];
        }
        for (int r = 0; r < projectionSteps.length; r++)
        {
            projectionSteps[r] += other.projectionSteps[r];
            binaryInputOps[r] += other.binaryInputOps[r];
        }
        steps += other.steps;
    }

    /** Steps counted. */
    public long steps()
    {
        return steps;
    }

    /** Zeroes every count and histogram. */
    public void clear()
    {
        for (int op = 0; op < OPS; op++)
        {
            Arrays.fill(byProjection[op], 0);
            Arrays.fill(byPopulation[op], 0);
        }
        Arrays.fill(projectionSteps, 0);
        Arrays.fill(binaryInputOps, 0);
        Arrays.fill(populationSteps, 0);
        Arrays.fill(nonZeroOutputs, 0);
        for (final CountHistogram h : histograms)
        {
            if (h != null)
            {
                h.clear();
            }
        }
        steps = 0;
    }

    void countStep()
    {
        steps++;
    }

    void countPopulation(final Layer layer)
    {
        final Population p = layer.spec;
        final int id = p.id;
        if (p.kind != PopulationKind.INPUT)
        {
            byPopulation[Op.NEURON_UPDATES.ordinal()][id] += layer.neuronUpdates();
        }
        byPopulation[Op.MACS_EFFECTIVE.ordinal()][id] += layer.ownMacs();
        byPopulation[Op.MACS_DENSE.ordinal()][id] += layer.ownDenseMacs();
        populationSteps[id]++;
        nonZeroOutputs[id] += layer.eventCount;
        final CountHistogram h = histograms[id];
        if (h != null)
        {
            final int n = layer.eventCount;
            byPopulation[Op.EVENTS.ordinal()][id] += n;
            final int[] counts = layer.eventCounts;
            for (int e = 0; e < n; e++)
            {
                h.add(counts[e]);
            }
            h.add(0, p.outputSize - n);
        }
    }

    /** Events (neuron, count) sent along a route. */
    void countEvents(final Route r, final int[] neurons, final int[] counts, final double[] values, final int n)
    {
        final int[] fanOut = r.nonZeroFanOut;
        long synops = 0;
        long rowAdds = 0;
        long shiftAdds = 0;
        boolean binary = true;
        for (int e = 0; e < n; e++)
        {
            final long f = fanOut[neurons[e]];
            final int c = Math.abs(counts[e]);
            synops += c * f;
            rowAdds += f;
            shiftAdds += BitMetrics.significantBits(c) * f;
            binary &= Math.abs(values[e]) == 1.0;
        }
        final int id = r.id;
        projectionSteps[id]++;
        binaryInputOps[id] += binary ? rowAdds : 0;
        byProjection[Op.EVENTS.ordinal()][id] += n;
        byProjection[Op.SYNOPS.ordinal()][id] += synops;
        byProjection[Op.ROW_ADDS.ordinal()][id] += rowAdds;
        byProjection[Op.SHIFT_ADDS.ordinal()][id] += shiftAdds;
        byProjection[Op.MACS_DENSE.ordinal()][id] += r.denseMacsPerStep;
    }

    /** Non-zero entries of a dense source sent along a route. */
    void countDense(final Route r, final int[] neurons, final double[] values, final int n)
    {
        final int[] fanOut = r.nonZeroFanOut;
        long macs = 0;
        boolean binary = true;
        for (int e = 0; e < n; e++)
        {
            macs += fanOut[neurons[e]];
            binary &= Math.abs(values[e]) == 1.0;
        }
        projectionSteps[r.id]++;
        binaryInputOps[r.id] += binary ? macs : 0;
        byProjection[Op.MACS_EFFECTIVE.ordinal()][r.id] += macs;
        byProjection[Op.MACS_DENSE.ordinal()][r.id] += r.denseMacsPerStep;
    }
}
