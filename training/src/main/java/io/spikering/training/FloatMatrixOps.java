package io.spikering.training;

/**
 * The two float products of the fixed-memory BPTT path ({@link RecurrentBatchKernel}), on flat row-major arrays whose
 * rows are padded to {@link #paddedWidth}. Every output element is a chain of fused multiply-adds taken in ascending term
 * order, one rounding per term, so the implementations agree bit for bit: {@link ScalarMatrixOps} (plain loops, the
 * reference and the fallback) and {@link VectorMatrixOps} (Vector API register tiles, used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}).
 */
interface FloatMatrixOps
{
    /**
     * Floats before index 0 of every table the fast path passes here: with {@code -XX:ObjectAlignmentInBytes=64} (as
     * ./spikering train runs) every array starts on a cache line, and this lead puts the vectors of the padded rows on
     * cache-line boundaries too (a vector load across two lines costs about as much as two). Without the flag it is
     * harmless: the layout is the same, only the alignment is left to chance.
     */
    int LEAD = (64 - sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET % 64) % 64 / Float.BYTES;

    /** Columns per panel of the panel-major tables the fast path gathers from: two vectors of 16 lanes; padded widths are multiples of it. */
    int PANEL = 32;

    /**
     * c[cOff + i·cStride + j] += Σ_{q&lt;k} a[aOff + i·aRow + q·aCol] · w[wOff + q·wStride + j] for i &lt; rows and
     * j &lt; width (a multiple of {@link #PANEL}). With aRow = row length and aCol = 1 this is C += A·W; with
     * aRow = 1 and aCol = row length it is C += AᵀW, a sum of k outer products.
     */
    void multiplyAdd(float[] a, int aOff, int aRow, int aCol, int rows, int k, float[] w, int wOff, int wStride, float[] c, int cOff,
        int cStride, int width);

    /**
     * c[cOff + i·cStride + j] += Σ_{from≤q&lt;to} val[q] · b[shift + off[q] + i·bStride + j] for i &lt; rows and j &lt; width:
     * a sparse convolution or correlation when off[] holds the row offsets of the non-zero inputs.
     */
    void gather(float[] val, int[] off, int from, int to, float[] b, int shift, int bStride, float[] c, int cOff, int cStride, int rows,
        int width);

    /**
     * A tile of {@link #gather} with 8 rows of {@link #PANEL} columns, b's rows one panel apart, that also takes the
     * inputs reaching only some of its rows: c[cOff + i·cStride + j] += Σ val[q] · b[shift + off[q] + i·PANEL + j] over
     * q in [from, full) for every row i &lt; 8, and over q in [full, to) for the rows i ≥ index[q] − base (suffix) or
     * i &lt; base − index[q] (not suffix); every element takes its terms in ascending q, as {@link #gather} called once for
     * the full inputs and once per other input does.
     */
    void gatherTile(float[] val, int[] off, int[] index, int from, int full, int to, int base, boolean suffix, float[] b, int shift, float[] c,
        int cOff, int cStride);

    /**
     * dst[dstOff + j] = tanh(src[srcOff + j]) for j &lt; n, exactly {@link FloatTanh#apply}'s bits (the same float
     * operations per value); src and dst may be the same array only at the same offset.
     */
    void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** y[yOff + k] = dh[dhOff + k] · (1 − y[yOff + k]²) for k &lt; n: δz over the stored tanh values (a multiply, a subtract, a multiply). */
    void tanhGradient(float[] dh, int dhOff, float[] y, int yOff, int n);

    /** dst[dstOff + k] += src[srcOff + k] for k &lt; n. */
    void add(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** dst[dstOff + k] += scale · src[srcOff + k] for k &lt; n (a multiply, then an add: not fused). */
    void addScaled(float scale, float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** dst[dstOff + k] = a[aOff + k] + scale · b[bOff + k] for k &lt; n (a multiply, then an add: not fused). */
    void sumScaled(float[] a, int aOff, float scale, float[] b, int bOff, float[] dst, int dstOff, int n);

    /** What this implementation is, for logs. */
    String describe();

    /**
     * {@link VectorMatrixOps} when the JVM has the incubating Vector API module, else {@link ScalarMatrixOps}. Without the
     * module no code path may touch {@link VectorMatrixOps} (loading it fails), hence the holder.
     */
    static FloatMatrixOps best()
    {
        if (vectorModulePresent())
        {
            return VectorMatrixOps.Factory.create();
        }
        return new ScalarMatrixOps();
    }

    /** True when the JVM runs with {@code --add-modules jdk.incubator.vector} (the trainers' Vector API tiles can load). */
    static boolean vectorModulePresent()
    {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Row width for n columns: n rounded up to a multiple of {@link #PANEL}, the same for every species; padding columns stay zero. */
    static int paddedWidth(final int n)
    {
        return (n + PANEL - 1) / PANEL * PANEL;
    }
}
