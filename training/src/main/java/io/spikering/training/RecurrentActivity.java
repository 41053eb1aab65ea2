package io.spikering.training;

/**
 * Hidden-layer activity of a recurrent LMU: runs the double-precision reference {@link RecurrentLmu} over samples
 * 0..count−1 and tallies the sigma-delta spike count of every neuron at every step (all T steps: the recurrent hidden
 * layer runs throughout), for {@link DtPoint}'s activity and significant bits. Sample i's voltages are the ones the
 * trainer's evaluation uses (seeded from {@code voltageSeed} and i). It is the obvious reference, about as fast per
 * sample as the float kernel's forward on one thread, so callers measure activity on a subset.
 */
public final class RecurrentActivity
{
    private RecurrentActivity()
    {
    }

    /**
     * Loss, accuracy and spike-count tally (dt > 0) of {@code params} ({@link RecurrentLmu} layout) over the first
     * {@code count} samples; the result does not depend on {@code threads}.
     */
    public static Evaluation measure(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs, final float[] params,
        final float[][] x, final int[] labels, final int count, final double dt, final long voltageSeed, final int threads)
    {
        if (!(dt > 0.0) || Double.isInfinite(dt))
        {
            throw new IllegalArgumentException("activity needs a positive finite quantizer dt, got " + dt);
        }
        if (count < 1 || count > x.length || count > labels.length)
        {
            throw new IllegalArgumentException("activity sample count must be in 1.." + Math.min(x.length, labels.length) + ", got " + count);
        }
        final double[] p = new double[params.length];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = params[i];
        }
        final int workers = Math.max(1, Math.min(threads, count));
        final RecurrentLmu[] cells = new RecurrentLmu[workers];
        final long[][] counts = new long[workers][2 * ShardKernel.COUNT_RANGE + 1];
        for (int w = 0; w < workers; w++)
        {
            cells[w] = new RecurrentLmu(spec, options, inputs);
            if (cells[w].parameterCount() != p.length)
            {
                throw new IllegalArgumentException("parameter array has " + p.length + " entries, the model has " + cells[w].parameterCount());
            }
            cells[w].tallyCounts(counts[w]);
        }
        final double[] loss = new double[count];
        final boolean[] correct = new boolean[count];
        try (ShardPool pool = new ShardPool(workers))
        {
            pool.run(count, (worker, i) ->
            {
                final RecurrentLmu cell = cells[worker];
                loss[i] = cell.forward(p, x[i], labels[i], dt, ShardKernel.voltageSeed(voltageSeed, i), null, null);
                correct[i] = cell.prediction() == labels[i];
            });
        }
        final long[] total = new long[2 * ShardKernel.COUNT_RANGE + 1];
        for (final long[] c : counts)
        {
            for (int k = 0; k < total.length; k++)
            {
                total[k] += c[k];
            }
        }
        double sum = 0.0;
        int right = 0;
        for (int i = 0; i < count; i++)
        {
            sum += loss[i];
            right += correct[i] ? 1 : 0;
        }
        return new Evaluation(count, sum / count, (double)right / count, dt, total);
    }
}
