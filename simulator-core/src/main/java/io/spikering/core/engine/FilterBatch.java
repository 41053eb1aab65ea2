package io.spikering.core.engine;

/**
 * Adds the deferred inputs of one single-channel {@link PopulationKind#LINEAR_FILTER} population in several simulators
 * (one sample each, stepped in lockstep) at once, before they step into the filter's window: what each simulator's
 * own first window step would do, bit for bit, in less time. The Vector API kernel ({@link FilterBatchVector}) walks
 * the window in register-sized blocks and, per block, runs every sample's inputs through registers (one load and
 * store of each window element per sample instead of one per four inputs); the block's slice of the impulse rows is
 * shared by all samples, so it stays in cache across the batch. Each element still receives its products one at a
 * time, in input order, as separate multiplies and adds (no fused multiply-add), so the sums are those of the
 * one-sample path. Without the {@code jdk.incubator.vector} module each simulator adds its own inputs (the
 * reference). Op counts are unaffected: the filter counts its MACs when the inputs arrive.
 */
public final class FilterBatch
{
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private FilterBatch()
    {
    }

    /** Whether the Vector API kernel runs (else each simulator adds its own inputs). */
    public static boolean vectorised()
    {
        return VECTOR;
    }

    /**
     * Adds the pending inputs of {@code population} in {@code sims[0..count)}, which must all be at the filter's first
     * window step (not yet stepped), of the same network, with a deferred single-channel filter.
     */
    public static void flush(final Simulator[] sims, final int count, final int population)
    {
        flush(sims, count, population, VECTOR);
    }

    static void flush(final Simulator[] sims, final int count, final int population, final boolean vector)
    {
        if (count < 1 || count > sims.length)
        {
            throw new IllegalArgumentException("count must be in [1, " + sims.length + "], got " + count);
        }
        for (int b = 0; b < count; b++)
        {
            if (!(sims[b].layer(population) instanceof LinearFilterLayer f) || f.channels != 1 || !f.defer)
            {
                throw new IllegalArgumentException("population " + population + " is not a deferred single-channel linear filter");
            }
            if (sims[b].network() != sims[0].network() || sims[b].currentStep() != f.from)
            {
                throw new IllegalArgumentException("simulator " + b + " is at step " + sims[b].currentStep() + " of " +
                    (sims[b].network() == sims[0].network() ? "the same network" : "another network") + "; the batch must be at step " +
                    f.from + " of one network");
            }
        }
        if (vector)
        {
            FilterBatchVector.flush(sims, count, population);
        }
        else
        {
            for (int b = 0; b < count; b++)
            {
                final LinearFilterLayer f = (LinearFilterLayer)sims[b].layer(population);
                if (f.pending > 0)
                {
                    f.flushPending();
                }
            }
        }
    }
}
