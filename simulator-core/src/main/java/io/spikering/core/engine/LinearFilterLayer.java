package io.spikering.core.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A state space observed only in the output window [from, until), computed event by event: a non-zero input u_c at
 * step t adds u_c * row[s - t] (row[k] = A^k B) to the pending state of every window step s &gt;= t. At a window step
 * the pending state is complete (all inputs up to it have been added) and is emitted densely. MACs are counted where
 * they are done: the non-zero entries of each row added. With an output matrix C the rows are C A^k B and the
 * output is C m.
 */
final class LinearFilterLayer extends Layer
{
    final int channels;
    final int order;
    final int from;
    final int until;
    final double[] rows;
    private final int[] rowNonZero;
    final double[] window;
    final int[] pendingSteps;
    final double[] pendingValues;
    final boolean defer;
    int pending;
    private long macs;
    private long denseMacs;
    private long updates;

    LinearFilterLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        channels = spec.channels;
        order = spec.rowLength;
        from = spec.windowFrom;
        until = spec.windowUntil;
        rows = spec.impulseRows;
        rowNonZero = spec.rowNonZeroPrefix;
        window = new double[(until - from) * spec.outputSize];
        // single channel, deferred: inputs before the window are kept and added at the window's first step, four rows
        // per pass over the pending states (one load and store of each state per four rows instead of per row); the
        // arrays exist in both schedules so that snapshots keep one layout and restore into either
        defer = spec.deferFilterInputs;
        pendingSteps = channels == 1 ? new int[from] : null;
        pendingValues = channels == 1 ? new double[from] : null;
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
            final int width = channels * d;
            final int lags = until - first;
            for (int c = 0; c < channels; c++)
            {
                final double uc = u[c];
                if (uc == 0.0)
                {
                    continue;
                }
                if (defer && channels == 1 && t < from)
                {
                    pendingSteps[pending] = t;
                    pendingValues[pending] = uc;
                    pending++;
                }
                else if (channels == 1)
                {
                    // pending > 0 here only after restoring a deferred snapshot into an eager layer
                    if (pending > 0)
                    {
                        flushPending();
                    }
                    axpy(uc, rows, (first - t) * d, window, (first - from) * width, lags * d);
                }
                else
                {
                    for (int s = first; s < until; s++)
                    {
                        axpy(uc, rows, (s - t) * d, window, (s - from) * width + c * d, d);
                    }
                }
                effective += rowNonZero[until - t] - rowNonZero[first - t];
            }
            dense = (long)channels * d * (until - first);
        }
        Arrays.fill(u, 0.0);
        macs = effective;
        denseMacs = dense;
        if (step >= from && step < until)
        {
            if (pending > 0)
            {
                flushPending();
            }
            System.arraycopy(window, ((int)step - from) * output.length, output, 0, output.length);
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

    /**
     * Adds the kept inputs (all before the window) to every window step, four per pass; each element still receives
     * the products one at a time in input order, so the sums equal adding each input as it arrives, bit for bit.
     */
    void flushPending()
    {
        final int d = order;
        final int n = (until - from) * d;
        final double[] x = rows;
        final double[] y = window;
        int e = 0;
        for (; e + 4 <= pending; e += 4)
        {
            final double a = pendingValues[e];
            final double b = pendingValues[e + 1];
            final double c = pendingValues[e + 2];
            final double f = pendingValues[e + 3];
            final int xa = (from - pendingSteps[e]) * d;
            final int xb = (from - pendingSteps[e + 1]) * d;
            final int xc = (from - pendingSteps[e + 2]) * d;
            final int xf = (from - pendingSteps[e + 3]) * d;
            for (int i = 0; i < n; i++)
            {
                y[i] = y[i] + a * x[xa + i] + b * x[xb + i] + c * x[xc + i] + f * x[xf + i];
            }
        }
        for (; e < pending; e++)
        {
            axpy(pendingValues[e], x, (from - pendingSteps[e]) * d, y, 0, n);
        }
        pending = 0;
    }

    private static void axpy(final double a, final double[] x, final int xOffset, final double[] y, final int yOffset, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            y[yOffset + i] += a * x[xOffset + i];
        }
    }

    @Override
    int stateBytes()
    {
        return super.stateBytes() + 8 * window.length + 4 + (pendingSteps == null ? 0 : 12 * pendingSteps.length);
    }

    @Override
    void save(final ByteBuffer out)
    {
        super.save(out);
        putAll(out, window);
        out.putInt(pending);
        for (int e = 0; pendingSteps != null && e < pendingSteps.length; e++)
        {
            out.putInt(pendingSteps[e]);
            out.putDouble(pendingValues[e]);
        }
    }

    @Override
    void restore(final ByteBuffer in)
    {
        super.restore(in);
        getAll(in, window);
        final int n = in.getInt();
        if (n < 0 || n > (pendingSteps == null ? 0 : pendingSteps.length))
        {
            throw new IllegalArgumentException("state for " + spec + " is corrupt: " + n + " pending inputs");
        }
        pending = n;
        for (int e = 0; pendingSteps != null && e < pendingSteps.length; e++)
        {
            pendingSteps[e] = in.getInt();
            pendingValues[e] = in.getDouble();
        }
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        Arrays.fill(window, 0.0);
        pending = 0;
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
