package io.spikering.training;

/**
 * The impulse response of the fixed Legendre memory and its projection onto the hidden layer, for
 * {@link RecurrentBatchKernel}'s fixed-memory path: H_j = Ā^j B̄ (j = 0..T−1, fixed, computed once in double from the
 * float32 Ā, B̄ of {@link MemoryMatrices}) and g_j = W_mᵀ H_j (recomputed whenever W_m changes, i.e. once per Adam
 * step, and shared read-only by every shard). Then W_mᵀ m̃_t = Σ_{s≤t} x_s·g_{t−s}: the memory never has to be formed.
 */
final class FixedMemoryResponse
{
    private final int order;
    private final int hidden;
    private final int steps;
    private final float[][] impulse;
    private final float[][] projected;
    private final float[][] memoryWeights;

    FixedMemoryResponse(final LmuSpec spec)
    {
        this.order = spec.order();
        this.hidden = spec.hidden();
        this.steps = spec.steps();
        final MemoryMatrices mm = MemoryMatrices.of(spec);
        final float[][] a = mm.a();
        final float[] b = mm.b();
        this.impulse = new float[steps][order];
        double[] state = new double[order];
        double[] next = new double[order];
        for (int i = 0; i < order; i++)
        {
            state[i] = b[i];
        }
        for (int j = 0; j < steps; j++)
        {
            for (int i = 0; i < order; i++)
            {
                impulse[j][i] = (float)state[i];
            }
            for (int i = 0; i < order; i++)
            {
                final float[] row = a[i];
                double acc = 0.0;
                for (int k = 0; k < order; k++)
                {
                    acc += row[k] * state[k];
                }
                next[i] = acc;
            }
            final double[] swap = state;
            state = next;
            next = swap;
        }
        this.projected = new float[steps][hidden];
        this.memoryWeights = new float[order][hidden];
    }

    /** Copies W_m (d×N row-major at {@code offset} of p); then {@link #project} computes the g_j from it. */
    void load(final float[] p, final int offset)
    {
        for (int i = 0; i < order; i++)
        {
            System.arraycopy(p, offset + i * hidden, memoryWeights[i], 0, hidden);
        }
    }

    /** g_j = W_mᵀ H_j for from ≤ j &lt; to (disjoint ranges may run in parallel). */
    void project(final int from, final int to)
    {
        for (int j = from; j < to; j++)
        {
            java.util.Arrays.fill(projected[j], 0.0f);
        }
        RecurrentBatchKernel.multiplyAdd(impulse, from, order, to - from, memoryWeights, hidden, projected, from);
    }

    /** H_j = Ā^j B̄, T rows of d. Do not modify. */
    float[][] impulse()
    {
        return impulse;
    }

    /** g_j = W_mᵀ H_j, T rows of N (valid after {@link #load} and {@link #project} over all rows). Do not modify. */
    float[][] projected()
    {
        return projected;
    }

    /** W_m as loaded, d rows of N. */
    float[][] memoryWeights()
    {
        return memoryWeights;
    }

    int steps()
    {
        return steps;
    }
}
