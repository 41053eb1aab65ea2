package io.spikering.core.engine;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API kernel of {@link FilterBatch}; loaded only when the module is present. */
final class FilterBatchVector
{
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Eight accumulators: enough independent add chains to cover the add latency. */
    private static final int BLOCK = 8 * L;

    private FilterBatchVector()
    {
    }

    static void flush(final Simulator[] sims, final int count, final int population)
    {
        final LinearFilterLayer first = (LinearFilterLayer)sims[0].layer(population);
        final int d = first.order;
        final int from = first.from;
        final int n = (first.until - from) * d;
        final double[] x = first.rows;
        final int lags = first.until - from;
        // blocks of one row's columns, all window steps of a block in turn: they read the same impulse rows shifted by
        // one step, so the rows a block needs are read from memory once per batch and then from cache
        final int blocksPerRow = d / BLOCK;
        for (int q = 0; q < blocksPerRow * lags; q++)
        {
            final int c = (q % lags) * d + (q / lags) * BLOCK;
            for (int b = 0; b < count; b++)
            {
                final LinearFilterLayer f = (LinearFilterLayer)sims[b].layer(population);
                final int pending = f.pending;
                if (pending == 0)
                {
                    continue;
                }
                final double[] y = f.window;
                final int[] steps = f.pendingSteps;
                final double[] values = f.pendingValues;
                DoubleVector a0 = DoubleVector.fromArray(S, y, c);
                DoubleVector a1 = DoubleVector.fromArray(S, y, c + L);
                DoubleVector a2 = DoubleVector.fromArray(S, y, c + 2 * L);
                DoubleVector a3 = DoubleVector.fromArray(S, y, c + 3 * L);
                DoubleVector a4 = DoubleVector.fromArray(S, y, c + 4 * L);
                DoubleVector a5 = DoubleVector.fromArray(S, y, c + 5 * L);
                DoubleVector a6 = DoubleVector.fromArray(S, y, c + 6 * L);
                DoubleVector a7 = DoubleVector.fromArray(S, y, c + 7 * L);
                for (int e = 0; e < pending; e++)
                {
                    final double v = values[e];
                    final int o = (from - steps[e]) * d + c;
                    a0 = a0.add(DoubleVector.fromArray(S, x, o).mul(v));
                    a1 = a1.add(DoubleVector.fromArray(S, x, o + L).mul(v));
                    a2 = a2.add(DoubleVector.fromArray(S, x, o + 2 * L).mul(v));
                    a3 = a3.add(DoubleVector.fromArray(S, x, o + 3 * L).mul(v));
                    a4 = a4.add(DoubleVector.fromArray(S, x, o + 4 * L).mul(v));
                    a5 = a5.add(DoubleVector.fromArray(S, x, o + 5 * L).mul(v));
                    a6 = a6.add(DoubleVector.fromArray(S, x, o + 6 * L).mul(v));
                    a7 = a7.add(DoubleVector.fromArray(S, x, o + 7 * L).mul(v));
                }
                a0.intoArray(y, c);
                a1.intoArray(y, c + L);
                a2.intoArray(y, c + 2 * L);
                a3.intoArray(y, c + 3 * L);
                a4.intoArray(y, c + 4 * L);
                a5.intoArray(y, c + 5 * L);
                a6.intoArray(y, c + 6 * L);
                a7.intoArray(y, c + 7 * L);
            }
        }
        // the columns past the last whole block of each row (all columns if a row is shorter than a block)
        final int tail = d - blocksPerRow * BLOCK;
        for (int b = 0; b < count && tail > 0; b++)
        {
            final LinearFilterLayer f = (LinearFilterLayer)sims[b].layer(population);
            final double[] y = f.window;
            for (int i = 0; i < n; i++)
            {
                if (i % d < d - tail)
                {
                    continue;
                }
                double acc = y[i];
                for (int e = 0; e < f.pending; e++)
                {
                    acc += f.pendingValues[e] * x[(from - f.pendingSteps[e]) * d + i];
                }
                y[i] = acc;
            }
        }
        for (int b = 0; b < count; b++)
        {
            ((LinearFilterLayer)sims[b].layer(population)).pending = 0;
        }
    }
}
