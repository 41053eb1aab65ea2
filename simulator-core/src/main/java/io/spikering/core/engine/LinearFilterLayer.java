package io.spikering.core.engine;

import java.util.Arrays;

/**
 * A state space observed only in the output window [from, until), computed event by event: a non-zero input u_c at
 * step t adds u_c * row[s - t] (row[k] = A^k B) to the pending state of every window step s &gt;= t. At a window step
 * the pending state is complete (all inputs up to it have been added) and is emitted densely. MACs are counted where
 * they are done: the non-zero entries of each row added.
 */
final class LinearFilterLayer extends Layer
{
    private final int channels;
    private final int order;
    private final int from;
    private final int until;
    private final double[][] rows;
    private final int[] rowNonZero;
    private final double[][] window;
    private long macs;
    private long denseMacs;
    private long updates;

    LinearFilterLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        channels = spec.channels;
        order = spec.stateB.length;
        from = spec.windowFrom;
        until = spec.windowUntil;
        rows = spec.impulseRows;
        rowNonZero = new int[rows.length];
        for (int k = 0; k < rows.length; k++)
        {
            int nz = 0;
            for (final double v : rows[k])
            {
                nz += v != 0.0 ? 1 : 0;
            }
            rowNonZero[k] = nz;
        }
        window = new double[until - from][spec.outputSize];
    }

    @Override
    void update(final long step)
    {
        final double[] u = input(step);
        long effective = 0;
        long dense = 0;
        if (step < until)
        {
            final int t = (int)step;
            final int first = Math.max(t, from);
            final int d = order;
            for (int c = 0; c < channels; c++)
            {
                final double uc = u[c];
                if (uc == 0.0)
                {
                    continue;
                }
                final int base = c * d;
                for (int s = first; s < until; s++)
                {
                    final double[] row = rows[s - t];
                    final double[] acc = window[s - from];
                    for (int i = 0; i < d; i++)
                    {
                        acc[base + i] += uc * row[i];
                    }
                    effective += rowNonZero[s - t];
                }
            }
            dense = (long)channels * d * (until - first);
        }
        Arrays.fill(u, 0.0);
        macs = effective;
        denseMacs = dense;
        if (step >= from && step < until)
        {
            System.arraycopy(window[(int)step - from], 0, output, 0, output.length);
            compactOutput();
            updates = output.length;
        }
        else
        {
            if (eventCount != 0)
            {
                Arrays.fill(output, 0.0);
                eventCount = 0;
            }
            updates = 0;
        }
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        for (final double[] w : window)
        {
            Arrays.fill(w, 0.0);
        }
        macs = 0;
        denseMacs = 0;
        updates = 0;
    }

    @Override
    long ownMacs()
    {
        return macs;
    }

    @Override
    long ownDenseMacs()
    {
        return denseMacs;
    }

    @Override
    long neuronUpdates()
    {
        return updates;
    }
}
