package io.spikering.training;

/**
 * The two products of the parallel LMU's hidden layer ({@link ShardKernel}) over window rows r whose memory vectors
 * start at {@code mem[memOffset[r]]}: the pre-activation z_r = W_mᵀ m_r and the kernel gradient δW_m += Σ_r m_r δz_rᵀ.
 * The arithmetic is pinned down, not only the result: products are rounded, then added (no fused multiply-add), in the
 * order {@link ScalarWindowProducts} spells out, so {@link VectorWindowProducts} (Vector API register tiles, used when
 * the JVM runs with {@code --add-modules jdk.incubator.vector}) gives the same bits, and so do models trained before it.
 */
interface WindowProducts
{
    /** z[r][j] = Σ_{i&lt;d} mem[memOffset[r] + i] · w[i·n + j] for r &lt; rows, j &lt; n, summed from 0 in ascending i. */
    void preactivation(float[] mem, int[] memOffset, int rows, int d, float[] w, int n, float[][] z);

    /**
     * grad[i·n + j] += Σ_r mem[memOffset[r] + i] · dz[r][j] for i &lt; d, j &lt; n: rows in blocks of four, each block's
     * four products summed left to right and then added, the last rows % 4 rows added one at a time.
     */
    void gradient(float[] mem, int[] memOffset, int rows, int d, float[][] dz, int n, float[] grad);

    /** What this implementation is, for logs. */
    String describe();

    /** {@link VectorWindowProducts} when the JVM has the incubating Vector API module, else {@link ScalarWindowProducts}. */
    static WindowProducts best()
    {
        if (FloatMatrixOps.vectorModulePresent())
        {
            return VectorWindowProducts.Factory.create();
        }
        return new ScalarWindowProducts();
    }
}
