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
    private final FloatMatrixOps ops;
    private final int width;
    private final float[] impulse;
    private final float[] projected;
    private final float[] memoryWeights;

    FixedMemoryResponse(final LmuSpec spec)
    {
        this(spec, FloatMatrixOps.best());
    }

    FixedMemoryResponse(final LmuSpec spec, final FloatMatrixOps ops)
    {
        this.order = spec.order();
        this.hidden = spec.hidden();
        this.steps = spec.steps();
        this.ops = ops;
        this.width = FloatMatrixOps.paddedWidth(hidden);
        final MemoryMatrices mm = MemoryMatrices.of(spec);
        final float[][] a = mm.a();
        final float[] b = mm.b();
        this.impulse = new float[steps * order];
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
                impulse[j * order + i] = (float)state[i];
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
        this.projected = new float[FloatMatrixOps.LEAD + steps * width];
        this.memoryWeights = new float[FloatMatrixOps.LEAD + order * width];
    }

    /** Copies W_m (d×N row-major at {@code offset} of p); then {@link #project} computes the g_j from it. */
    void load(final float[] p, final int offset)
    {
        for (int i = 0; i < order; i++)
        {
            System.arraycopy(p, offset + i * hidden, memoryWeights, FloatMatrixOps.LEAD + i * width, hidden);
        }
    }

    /** g_j = W_mᵀ H_j for from ≤ j &lt; to (disjoint ranges may run in parallel). */
    void project(final int from, final int to)
    {
        for (int col = 0; col < width; col += FloatMatrixOps.PANEL)
        {
            final int base = FloatMatrixOps.LEAD + col * steps;
            java.util.Arrays.fill(projected, base + from * FloatMatrixOps.PANEL, base + to * FloatMatrixOps.PANEL, 0.0f);
            ops.multiplyAdd(impulse, from * order, order, 1, to - from, order, memoryWeights, FloatMatrixOps.LEAD + col, width, projected,
                base + from * FloatMatrixOps.PANEL, FloatMatrixOps.PANEL, FloatMatrixOps.PANEL);
        }
    }

    /** H_j = Ā^j B̄: T rows of d, flat. Do not modify. */
    float[] impulse()
    {
        return impulse;
    }

    /**
     * g_j = W_mᵀ H_j in column panels (valid after {@link #load} and {@link #project} over all rows; do not modify): column c
     * of g_j at LEAD + c·T + j·PANEL + c mod PANEL for c a multiple of PANEL plus the rest, i.e. panel by panel, each T rows of
     * {@link FloatMatrixOps#PANEL} contiguous, so a tile of consecutive rows is one contiguous run for the gathers (all
     * after {@link FloatMatrixOps#LEAD}).
     */
    float[] projected()
    {
        return projected;
    }

    /** N padded for {@link #ops}: the panels of {@link #projected} cover this many columns. */
    int width()
    {
        return width;
    }

    FloatMatrixOps ops()
    {
        return ops;
    }

    int steps()
    {
        return steps;
    }
}
