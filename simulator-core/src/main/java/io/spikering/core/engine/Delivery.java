package io.spikering.core.engine;

/**
 * The two weight-row kernels. Each event (unit i, value s) adds s * W[i][j] to the input sums of its targets, events
 * in the given order, so every sum is accumulated in event order. The dense loop is a plain contiguous
 * {@code acc[j] += s * w[j]} that C2 auto-vectorises.
 *
 * <p>Dense rows are stored widened to double ({@link Projection}): JDK 17's C2 does not vectorise a loop that
 * converts float to double (SuperWord learned mixed-size conversions only in JDK 20), so a float row ran the
 * loop scalar, several times slower (measured by DeliveryBenchmark in the benchmarks module). Widening a float is
 * exact, so the sums are bit-identical to {@code s * (double) w[j]}.
 *
 * <p>Public so that the benchmarks module can time the engine's own kernels; the engine calls nothing else.
 */
public final class Delivery
{
    private Delivery()
    {
    }

    /** Adds rows {@code neurons[0..n)} scaled by {@code values} to columns [lo, hi) of {@code acc}. */
    public static void dense(
        final double[][] rows,
        final double[] acc,
        final int[] neurons,
        final double[] values,
        final int n,
        final int lo,
        final int hi)
    {
        int e = 0;
        for (; e + 4 <= n; e += 4)
        {
            final double[] w0 = rows[neurons[e]];
            final double[] w1 = rows[neurons[e + 1]];
            final double[] w2 = rows[neurons[e + 2]];
            final double[] w3 = rows[neurons[e + 3]];
            final double s0 = values[e];
            final double s1 = values[e + 1];
            final double s2 = values[e + 2];
            final double s3 = values[e + 3];
            for (int j = lo; j < hi; j++)
            {
                // the four events' adds in event order, as four passes would do them: same sums, a quarter of
                // the accumulator loads and stores
                acc[j] = (((acc[j] + s0 * w0[j]) + s1 * w1[j]) + s2 * w2[j]) + s3 * w3[j];
            }
        }
        for (; e < n; e++)
        {
            final double[] w = rows[neurons[e]];
            final double s = values[e];
            for (int j = lo; j < hi; j++)
            {
                acc[j] += s * w[j];
            }
        }
    }

    /** Fewest events of one {@link #sparse} call for which it touches the rows before adding them. */
    static final int TOUCH_MIN_EVENTS = 8;

    /** Written by {@link #sparse} so that its touching loads are not removed as dead code; never read. */
    @SuppressWarnings("unused")
    private static int touched;

    /** Adds sparse rows {@code neurons[0..n)} scaled by {@code values} to their target columns of {@code acc}. */
    public static void sparse(
        final int[][] targets,
        final float[][] weights,
        final double[] acc,
        final int[] neurons,
        final double[] values,
        final int n)
    {
        // With several rows, touch both ends of every row first: the rows' cache misses (a large network's rows are in
        // memory, not cache) then overlap instead of coming one row after another in the add loop below. CUBA at 40,000
        // neurons (16 spikes per step): 1.2x faster; at 4,000 (2 per step, rows in cache) touching cost 3%.
        int touch = 0;
        for (int e = 0; n >= TOUCH_MIN_EVENTS && e < n; e++)
        {
            final int[] t = targets[neurons[e]];
            final float[] w = weights[neurons[e]];
            if (t.length > 0)
            {
                touch += t[0] + t[t.length - 1] + Float.floatToRawIntBits(w[0]) + Float.floatToRawIntBits(w[w.length - 1]);
            }
        }
        touched = touch; // kept, so that the compiler keeps the touching loads
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
