package io.spikering.core.engine;

/**
 * The two weight-row kernels. Each event (unit i, value s) adds s * W[i][j] to the input sums of its targets, events
 * in the given order, so every sum is accumulated in event order. The dense loop is a plain contiguous
 * {@code acc[j] += s * w[j]} that C2 auto-vectorises.
 */
final class Delivery
{
    private Delivery()
    {
    }

    /** Adds rows {@code neurons[0..n)} scaled by {@code values} to columns [lo, hi) of {@code acc}. */
    static void dense(
        final float[][] rows,
        final double[] acc,
        final int[] neurons,
        final double[] values,
        final int n,
        final int lo,
        final int hi)
    {
        for (int e = 0; e < n; e++)
        {
            final float[] w = rows[neurons[e]];
            final double s = values[e];
            for (int j = lo; j < hi; j++)
            {
                acc[j] += s * w[j];
            }
        }
    }

    /** Adds sparse rows {@code neurons[0..n)} scaled by {@code values} to their target columns of {@code acc}. */
    static void sparse(
        final int[][] targets,
        final float[][] weights,
        final double[] acc,
        final int[] neurons,
        final double[] values,
        final int n)
    {
        for (int e = 0; e < n; e++)
        {
            final int i = neurons[e];
            final int[] t = targets[i];
            final float[] w = weights[i];
            final double s = values[e];
            for (int k = 0; k < t.length; k++)
            {
                acc[t[k]] += s * w[k];
            }
        }
    }

    /** Delivers all events of the source to the whole of the route's target slot for {@code step}. */
    static void deliver(final Route r, final long step, final int[] neurons, final double[] values, final int n)
    {
        final double[] acc = r.ring.slot(step + r.delay);
        if (r.denseRows != null)
        {
            dense(r.denseRows, acc, neurons, values, n, 0, r.width);
        }
        else
        {
            sparse(r.sparseTargets, r.sparseWeights, acc, neurons, values, n);
        }
    }
}
