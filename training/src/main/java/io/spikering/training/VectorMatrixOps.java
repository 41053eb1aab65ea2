package io.spikering.training;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMatrixOps} with the incubating Vector API (run with {@code --add-modules jdk.incubator.vector}): the
 * output is computed in register tiles, 10 rows × 2 vectors for products and 8 rows × 2 vectors for gathers, so each
 * loaded vector feeds 5–10 fused multiply-adds instead of one load and one store per multiply-add in axpy form.
 * Remainder rows go one at a time. Term order per element is ascending, as in {@link ScalarMatrixOps}, so both give
 * identical bits.
 */
final class VectorMatrixOps implements FloatMatrixOps
{
    /** At most 16 lanes, so that two vectors always fit a {@link FloatMatrixOps#PANEL} of 32 columns. */
    static final VectorSpecies<Float> SPECIES =
        FloatVector.SPECIES_PREFERRED.length() > 16 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Terms per pass of {@link #multiplyAdd}: a slice of w this deep stays in L2 while every output tile passes over it. */
    private static final int BLOCK = 256;
    private static final int PANEL = FloatMatrixOps.PANEL;
    private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1.0f);

    @Override
    public String describe()
    {
        return "Vector API tiles (" + LANES + " float lanes)";
    }

    /** Kept apart so that {@link FloatMatrixOps#best} names no Vector API type when the module is absent. */
    static final class Factory
    {
        private Factory()
        {
        }

        static FloatMatrixOps create()
        {
            return new VectorMatrixOps();
        }
    }

    @Override
    public void multiplyAdd(final float[] a, final int aOff, final int aRow, final int aCol, final int rows, final int k, final float[] w,
        final int wOff, final int wStride, final float[] c, final int cOff, final int cStride, final int width)
    {
        for (int q0 = 0; q0 < k; q0 += BLOCK)
        {
            final int terms = Math.min(k, q0 + BLOCK) - q0;
            for (int j = 0; j < width; j += 2 * LANES)
            {
                final int wo = wOff + q0 * wStride + j;
                int i = 0;
                for (; i + 10 <= rows; i += 10)
                {
                    if (aRow == 1)
                    {
                        product10Transposed(a, aOff + i + q0 * aCol, aCol, terms, w, wo, wStride, c, cOff + i * cStride + j, cStride);
                    }
                    else
                    {
                        product10(a, aOff + i * aRow + q0 * aCol, aRow, aCol, terms, w, wo, wStride, c, cOff + i * cStride + j, cStride);
                    }
                }
                for (; i < rows; i++)
                {
                    product1(a, aOff + i * aRow + q0 * aCol, aCol, terms, w, wo, wStride, c, cOff + i * cStride + j);
                }
            }
        }
    }

    @Override
    public void gather(final float[] val, final int[] off, final int from, final int to, final float[] b, final int shift, final int bStride,
        final float[] c, final int cOff, final int cStride, final int rows, final int width)
    {
        for (int j = 0; j < width; j += 2 * LANES)
        {
            int i = 0;
            for (; i + 8 <= rows; i += 8)
            {
                if (bStride == PANEL)
                {
                    gather8Panel(val, off, from, to, b, shift + i * bStride + j, c, cOff + i * cStride + j, cStride);
                }
                else
                {
                    gather8(val, off, from, to, b, shift + i * bStride + j, bStride, c, cOff + i * cStride + j, cStride);
                }
            }
            for (; i < rows; i++)
            {
                gather1(val, off, from, to, b, shift + i * bStride + j, c, cOff + i * cStride + j);
            }
        }
    }

    /**
     * {@link FloatTanh#apply} in one pass over whole vectors (clamp, the two polynomials as separate multiplies and adds,
     * x·p / q: the scalar code's operations in its order, so the same bits), the tail with the same scalar operations.
     * <p>
     * This and the element-wise kernels below are each one method from load to store, sized for C2: over the 325
     * bytecodes up to which it inlines a hot method (inlined into the trainer's long methods, C2 was seen to give up
     * intrinsifying a vector store and box the vectors), and with few enough vector operations per method that C2's node
     * budget covers them all (a tanh unrolled twice lost its last division to a boxed fallback).
     */
    @Override
    public void tanh(final float[] src, final int srcOff, final float[] dst, final int dstOff, final int n)
    {
        int j = 0;
        for (; j + LANES <= n; j += LANES)
        {
            final FloatVector x = FloatVector.fromArray(SPECIES, src, srcOff + j).min(FloatTanh.CLAMP).max(-FloatTanh.CLAMP);
            final FloatVector x2 = x.mul(x);
            FloatVector p = x2.mul(FloatTanh.P0).add(FloatTanh.P1);
            p = x2.mul(p).add(FloatTanh.P2);
            p = x2.mul(p).add(FloatTanh.P3);
            p = x2.mul(p).add(FloatTanh.P4);
            p = x2.mul(p).add(FloatTanh.P5);
            p = x2.mul(p).add(FloatTanh.P6);
            FloatVector q = x2.mul(FloatTanh.Q0).add(FloatTanh.Q1);
            q = x2.mul(q).add(FloatTanh.Q2);
            q = x2.mul(q).add(FloatTanh.Q3);
            x.mul(p).div(q).intoArray(dst, dstOff + j);
        }
        for (; j < n; j++)
        {
            final float x = Math.max(-FloatTanh.CLAMP, Math.min(FloatTanh.CLAMP, src[srcOff + j]));
            final float x2 = x * x;
            float p = x2 * FloatTanh.P0 + FloatTanh.P1;
            p = x2 * p + FloatTanh.P2;
            p = x2 * p + FloatTanh.P3;
            p = x2 * p + FloatTanh.P4;
            p = x2 * p + FloatTanh.P5;
            p = x2 * p + FloatTanh.P6;
            float q = x2 * FloatTanh.Q0 + FloatTanh.Q1;
            q = x2 * q + FloatTanh.Q2;
            q = x2 * q + FloatTanh.Q3;
            dst[dstOff + j] = x * p / q;
        }
    }

    /*
     * Element-wise as ScalarMatrixOps (C2 leaves those loops between different arrays scalar), the same operations per
     * element: four vectors per iteration, then one, then the scalar tail (sized as tanh above).
     */

    @Override
    public void tanhGradient(final float[] dh, final int dhOff, final float[] y, final int yOff, final int n)
    {
        int k = 0;
        for (; k + 4 * LANES <= n; k += 4 * LANES)
        {
            FloatVector.fromArray(SPECIES, dh, dhOff + k + 0 * LANES).mul(ONE.sub(FloatVector.fromArray(SPECIES, y, yOff + k + 0 * LANES).mul(FloatVector.fromArray(SPECIES, y, yOff + k + 0 * LANES))))
                .intoArray(y, yOff + k + 0 * LANES);
            FloatVector.fromArray(SPECIES, dh, dhOff + k + 1 * LANES).mul(ONE.sub(FloatVector.fromArray(SPECIES, y, yOff + k + 1 * LANES).mul(FloatVector.fromArray(SPECIES, y, yOff + k + 1 * LANES))))
                .intoArray(y, yOff + k + 1 * LANES);
            FloatVector.fromArray(SPECIES, dh, dhOff + k + 2 * LANES).mul(ONE.sub(FloatVector.fromArray(SPECIES, y, yOff + k + 2 * LANES).mul(FloatVector.fromArray(SPECIES, y, yOff + k + 2 * LANES))))
                .intoArray(y, yOff + k + 2 * LANES);
            FloatVector.fromArray(SPECIES, dh, dhOff + k + 3 * LANES).mul(ONE.sub(FloatVector.fromArray(SPECIES, y, yOff + k + 3 * LANES).mul(FloatVector.fromArray(SPECIES, y, yOff + k + 3 * LANES))))
                .intoArray(y, yOff + k + 3 * LANES);
        }
        for (; k + LANES <= n; k += LANES)
        {
            FloatVector.fromArray(SPECIES, dh, dhOff + k).mul(ONE.sub(FloatVector.fromArray(SPECIES, y, yOff + k).mul(FloatVector.fromArray(SPECIES, y, yOff + k))))
                .intoArray(y, yOff + k);
        }
        for (; k < n; k++)
        {
            final float v = y[yOff + k];
            y[yOff + k] = dh[dhOff + k] * (1.0f - v * v);
        }
    }

    @Override
    public void add(final float[] src, final int srcOff, final float[] dst, final int dstOff, final int n)
    {
        int k = 0;
        for (; k + 4 * LANES <= n; k += 4 * LANES)
        {
            FloatVector.fromArray(SPECIES, dst, dstOff + k + 0 * LANES).add(FloatVector.fromArray(SPECIES, src, srcOff + k + 0 * LANES)).intoArray(dst, dstOff + k + 0 * LANES);
            FloatVector.fromArray(SPECIES, dst, dstOff + k + 1 * LANES).add(FloatVector.fromArray(SPECIES, src, srcOff + k + 1 * LANES)).intoArray(dst, dstOff + k + 1 * LANES);
            FloatVector.fromArray(SPECIES, dst, dstOff + k + 2 * LANES).add(FloatVector.fromArray(SPECIES, src, srcOff + k + 2 * LANES)).intoArray(dst, dstOff + k + 2 * LANES);
            FloatVector.fromArray(SPECIES, dst, dstOff + k + 3 * LANES).add(FloatVector.fromArray(SPECIES, src, srcOff + k + 3 * LANES)).intoArray(dst, dstOff + k + 3 * LANES);
        }
        for (; k + LANES <= n; k += LANES)
        {
            FloatVector.fromArray(SPECIES, dst, dstOff + k).add(FloatVector.fromArray(SPECIES, src, srcOff + k)).intoArray(dst, dstOff + k);
        }
        for (; k < n; k++)
        {
            dst[dstOff + k] += src[srcOff + k];
        }
    }

    @Override
    public void addScaled(final float scale, final float[] src, final int srcOff, final float[] dst, final int dstOff, final int n)
    {
        int k = 0;
        for (; k + 4 * LANES <= n; k += 4 * LANES)
        {
            FloatVector.fromArray(SPECIES, dst, dstOff + k + 0 * LANES).add(FloatVector.fromArray(SPECIES, src, srcOff + k + 0 * LANES).mul(scale)).intoArray(dst, dstOff + k + 0 * LANES);
            FloatVector.fromArray(SPECIES, dst, dstOff + k + 1 * LANES).add(FloatVector.fromArray(SPECIES, src, srcOff + k + 1 * LANES).mul(scale)).intoArray(dst, dstOff + k + 1 * LANES);
            FloatVector.fromArray(SPECIES, dst, dstOff + k + 2 * LANES).add(FloatVector.fromArray(SPECIES, src, srcOff + k + 2 * LANES).mul(scale)).intoArray(dst, dstOff + k + 2 * LANES);
            FloatVector.fromArray(SPECIES, dst, dstOff + k + 3 * LANES).add(FloatVector.fromArray(SPECIES, src, srcOff + k + 3 * LANES).mul(scale)).intoArray(dst, dstOff + k + 3 * LANES);
        }
        for (; k + LANES <= n; k += LANES)
        {
            FloatVector.fromArray(SPECIES, dst, dstOff + k).add(FloatVector.fromArray(SPECIES, src, srcOff + k).mul(scale)).intoArray(dst, dstOff + k);
        }
        for (; k < n; k++)
        {
            dst[dstOff + k] += scale * src[srcOff + k];
        }
    }

    @Override
    public void sumScaled(final float[] a, final int aOff, final float scale, final float[] b, final int bOff, final float[] dst, final int dstOff,
        final int n)
    {
        int k = 0;
        for (; k + 4 * LANES <= n; k += 4 * LANES)
        {
            FloatVector.fromArray(SPECIES, a, aOff + k + 0 * LANES).add(FloatVector.fromArray(SPECIES, b, bOff + k + 0 * LANES).mul(scale)).intoArray(dst, dstOff + k + 0 * LANES);
            FloatVector.fromArray(SPECIES, a, aOff + k + 1 * LANES).add(FloatVector.fromArray(SPECIES, b, bOff + k + 1 * LANES).mul(scale)).intoArray(dst, dstOff + k + 1 * LANES);
            FloatVector.fromArray(SPECIES, a, aOff + k + 2 * LANES).add(FloatVector.fromArray(SPECIES, b, bOff + k + 2 * LANES).mul(scale)).intoArray(dst, dstOff + k + 2 * LANES);
            FloatVector.fromArray(SPECIES, a, aOff + k + 3 * LANES).add(FloatVector.fromArray(SPECIES, b, bOff + k + 3 * LANES).mul(scale)).intoArray(dst, dstOff + k + 3 * LANES);
        }
        for (; k + LANES <= n; k += LANES)
        {
            FloatVector.fromArray(SPECIES, a, aOff + k).add(FloatVector.fromArray(SPECIES, b, bOff + k).mul(scale)).intoArray(dst, dstOff + k);
        }
        for (; k < n; k++)
        {
            dst[dstOff + k] = a[aOff + k] + scale * b[bOff + k];
        }
    }

    /**
     * {@link FloatMatrixOps#gatherTile}: the full inputs as {@link #gather8Panel}, then each row's share of the other
     * inputs (a prefix of them for every row, growing with the row for a suffix tile, shrinking for a prefix tile) while
     * the 16 accumulators stay in registers.
     */
    @Override
    public void gatherTile(final float[] val, final int[] off, final int[] index, final int from, final int full, final int to, final int base,
        final boolean suffix, final float[] b, final int shift, final float[] c, final int cOff, final int cStride)
    {
        gatherTileRows(val, off, index, from, full, to, base, suffix, b, shift, c, cOff, cStride);
    }

    private static void gatherTileRows(final float[] val, final int[] off, final int[] index, final int from, final int full, final int to,
        final int base, final boolean suffix, final float[] b, final int b0, final float[] c, final int c0, final int cStride)
    {
        FloatVector c0a = FloatVector.fromArray(SPECIES, c, c0 + 0 * cStride);
        FloatVector c0b = FloatVector.fromArray(SPECIES, c, c0 + 0 * cStride + LANES);
        FloatVector c1a = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride);
        FloatVector c1b = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride + LANES);
        FloatVector c2a = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride);
        FloatVector c2b = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride + LANES);
        FloatVector c3a = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride);
        FloatVector c3b = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride + LANES);
        FloatVector c4a = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride);
        FloatVector c4b = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride + LANES);
        FloatVector c5a = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride);
        FloatVector c5b = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride + LANES);
        FloatVector c6a = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride);
        FloatVector c6b = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride + LANES);
        FloatVector c7a = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride);
        FloatVector c7b = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride + LANES);
        for (int q = from; q < full; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q];
            c0a = FloatVector.fromArray(SPECIES, b, bq + 0 * PANEL).fma(x, c0a);
            c0b = FloatVector.fromArray(SPECIES, b, bq + 0 * PANEL + LANES).fma(x, c0b);
            c1a = FloatVector.fromArray(SPECIES, b, bq + 1 * PANEL).fma(x, c1a);
            c1b = FloatVector.fromArray(SPECIES, b, bq + 1 * PANEL + LANES).fma(x, c1b);
            c2a = FloatVector.fromArray(SPECIES, b, bq + 2 * PANEL).fma(x, c2a);
            c2b = FloatVector.fromArray(SPECIES, b, bq + 2 * PANEL + LANES).fma(x, c2b);
            c3a = FloatVector.fromArray(SPECIES, b, bq + 3 * PANEL).fma(x, c3a);
            c3b = FloatVector.fromArray(SPECIES, b, bq + 3 * PANEL + LANES).fma(x, c3b);
            c4a = FloatVector.fromArray(SPECIES, b, bq + 4 * PANEL).fma(x, c4a);
            c4b = FloatVector.fromArray(SPECIES, b, bq + 4 * PANEL + LANES).fma(x, c4b);
            c5a = FloatVector.fromArray(SPECIES, b, bq + 5 * PANEL).fma(x, c5a);
            c5b = FloatVector.fromArray(SPECIES, b, bq + 5 * PANEL + LANES).fma(x, c5b);
            c6a = FloatVector.fromArray(SPECIES, b, bq + 6 * PANEL).fma(x, c6a);
            c6b = FloatVector.fromArray(SPECIES, b, bq + 6 * PANEL + LANES).fma(x, c6b);
            c7a = FloatVector.fromArray(SPECIES, b, bq + 7 * PANEL).fma(x, c7a);
            c7b = FloatVector.fromArray(SPECIES, b, bq + 7 * PANEL + LANES).fma(x, c7b);
        }
        // row i takes the other inputs in [full, rowEnd(i))
        for (int q = full, e = rowEnd(index, full, to, base, 0, suffix); q < e; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q] + 0 * PANEL;
            c0a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c0a);
            c0b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c0b);
        }
        for (int q = full, e = rowEnd(index, full, to, base, 1, suffix); q < e; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q] + 1 * PANEL;
            c1a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c1a);
            c1b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c1b);
        }
        for (int q = full, e = rowEnd(index, full, to, base, 2, suffix); q < e; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q] + 2 * PANEL;
            c2a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c2a);
            c2b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c2b);
        }
        for (int q = full, e = rowEnd(index, full, to, base, 3, suffix); q < e; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q] + 3 * PANEL;
            c3a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c3a);
            c3b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c3b);
        }
        for (int q = full, e = rowEnd(index, full, to, base, 4, suffix); q < e; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q] + 4 * PANEL;
            c4a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c4a);
            c4b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c4b);
        }
        for (int q = full, e = rowEnd(index, full, to, base, 5, suffix); q < e; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q] + 5 * PANEL;
            c5a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c5a);
            c5b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c5b);
        }
        for (int q = full, e = rowEnd(index, full, to, base, 6, suffix); q < e; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q] + 6 * PANEL;
            c6a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c6a);
            c6b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c6b);
        }
        for (int q = full, e = rowEnd(index, full, to, base, 7, suffix); q < e; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q] + 7 * PANEL;
            c7a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c7a);
            c7b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c7b);
        }
        c0a.intoArray(c, c0 + 0 * cStride);
        c0b.intoArray(c, c0 + 0 * cStride + LANES);
        c1a.intoArray(c, c0 + 1 * cStride);
        c1b.intoArray(c, c0 + 1 * cStride + LANES);
        c2a.intoArray(c, c0 + 2 * cStride);
        c2b.intoArray(c, c0 + 2 * cStride + LANES);
        c3a.intoArray(c, c0 + 3 * cStride);
        c3b.intoArray(c, c0 + 3 * cStride + LANES);
        c4a.intoArray(c, c0 + 4 * cStride);
        c4b.intoArray(c, c0 + 4 * cStride + LANES);
        c5a.intoArray(c, c0 + 5 * cStride);
        c5b.intoArray(c, c0 + 5 * cStride + LANES);
        c6a.intoArray(c, c0 + 6 * cStride);
        c6b.intoArray(c, c0 + 6 * cStride + LANES);
        c7a.intoArray(c, c0 + 7 * cStride);
        c7b.intoArray(c, c0 + 7 * cStride + LANES);
    }

    /**
     * End of row i's share of the inputs in [full, to) (indices ascending): a suffix tile's row i takes those with
     * index ≤ base + i, a prefix tile's those with index &lt; base − i.
     */
    private static int rowEnd(final int[] index, final int full, final int to, final int base, final int i, final boolean suffix)
    {
        int e = full;
        while (e < to && (suffix ? index[e] <= base + i : index[e] < base - i))
        {
            e++;
        }
        return e;
    }

    /** Rows i &lt; 10, two vectors: c_i += Σ_q a[a0 + i·aRow + q·aCol]·w[w0 + q·wStride]. */
    private static void product10(final float[] a, final int a0, final int aRow, final int aCol, final int terms, final float[] w, final int w0,
        final int wStride, final float[] c, final int c0, final int cStride)
    {
        FloatVector c0a = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector c0b = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        FloatVector c1a = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride);
        FloatVector c1b = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride + LANES);
        FloatVector c2a = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride);
        FloatVector c2b = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride + LANES);
        FloatVector c3a = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride);
        FloatVector c3b = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride + LANES);
        FloatVector c4a = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride);
        FloatVector c4b = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride + LANES);
        FloatVector c5a = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride);
        FloatVector c5b = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride + LANES);
        FloatVector c6a = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride);
        FloatVector c6b = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride + LANES);
        FloatVector c7a = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride);
        FloatVector c7b = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride + LANES);
        FloatVector c8a = FloatVector.fromArray(SPECIES, c, c0 + 8 * cStride);
        FloatVector c8b = FloatVector.fromArray(SPECIES, c, c0 + 8 * cStride + LANES);
        FloatVector c9a = FloatVector.fromArray(SPECIES, c, c0 + 9 * cStride);
        FloatVector c9b = FloatVector.fromArray(SPECIES, c, c0 + 9 * cStride + LANES);
        for (int q = 0; q < terms; q++)
        {
            final int wq = w0 + q * wStride;
            final int aq = a0 + q * aCol;
            final FloatVector wa = FloatVector.fromArray(SPECIES, w, wq);
            final FloatVector wb = FloatVector.fromArray(SPECIES, w, wq + LANES);
            final FloatVector x0 = FloatVector.broadcast(SPECIES, a[aq]);
            c0a = wa.fma(x0, c0a);
            c0b = wb.fma(x0, c0b);
            final FloatVector x1 = FloatVector.broadcast(SPECIES, a[aq + aRow]);
            c1a = wa.fma(x1, c1a);
            c1b = wb.fma(x1, c1b);
            final FloatVector x2 = FloatVector.broadcast(SPECIES, a[aq + 2 * aRow]);
            c2a = wa.fma(x2, c2a);
            c2b = wb.fma(x2, c2b);
            final FloatVector x3 = FloatVector.broadcast(SPECIES, a[aq + 3 * aRow]);
            c3a = wa.fma(x3, c3a);
            c3b = wb.fma(x3, c3b);
            final FloatVector x4 = FloatVector.broadcast(SPECIES, a[aq + 4 * aRow]);
            c4a = wa.fma(x4, c4a);
            c4b = wb.fma(x4, c4b);
            final FloatVector x5 = FloatVector.broadcast(SPECIES, a[aq + 5 * aRow]);
            c5a = wa.fma(x5, c5a);
            c5b = wb.fma(x5, c5b);
            final FloatVector x6 = FloatVector.broadcast(SPECIES, a[aq + 6 * aRow]);
            c6a = wa.fma(x6, c6a);
            c6b = wb.fma(x6, c6b);
            final FloatVector x7 = FloatVector.broadcast(SPECIES, a[aq + 7 * aRow]);
            c7a = wa.fma(x7, c7a);
            c7b = wb.fma(x7, c7b);
            final FloatVector x8 = FloatVector.broadcast(SPECIES, a[aq + 8 * aRow]);
            c8a = wa.fma(x8, c8a);
            c8b = wb.fma(x8, c8b);
            final FloatVector x9 = FloatVector.broadcast(SPECIES, a[aq + 9 * aRow]);
            c9a = wa.fma(x9, c9a);
            c9b = wb.fma(x9, c9b);
        }
        c0a.intoArray(c, c0);
        c0b.intoArray(c, c0 + LANES);
        c1a.intoArray(c, c0 + 1 * cStride);
        c1b.intoArray(c, c0 + 1 * cStride + LANES);
        c2a.intoArray(c, c0 + 2 * cStride);
        c2b.intoArray(c, c0 + 2 * cStride + LANES);
        c3a.intoArray(c, c0 + 3 * cStride);
        c3b.intoArray(c, c0 + 3 * cStride + LANES);
        c4a.intoArray(c, c0 + 4 * cStride);
        c4b.intoArray(c, c0 + 4 * cStride + LANES);
        c5a.intoArray(c, c0 + 5 * cStride);
        c5b.intoArray(c, c0 + 5 * cStride + LANES);
        c6a.intoArray(c, c0 + 6 * cStride);
        c6b.intoArray(c, c0 + 6 * cStride + LANES);
        c7a.intoArray(c, c0 + 7 * cStride);
        c7b.intoArray(c, c0 + 7 * cStride + LANES);
        c8a.intoArray(c, c0 + 8 * cStride);
        c8b.intoArray(c, c0 + 8 * cStride + LANES);
        c9a.intoArray(c, c0 + 9 * cStride);
        c9b.intoArray(c, c0 + 9 * cStride + LANES);
    }

    /** {@link #product10} for C += AᵀW (aRow = 1): the ten a values of a term are adjacent, so C2 merges their bounds checks. */
    private static void product10Transposed(final float[] a, final int a0, final int aCol, final int terms, final float[] w, final int w0,
        final int wStride, final float[] c, final int c0, final int cStride)
    {
        FloatVector c0a = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector c0b = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        FloatVector c1a = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride);
        FloatVector c1b = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride + LANES);
        FloatVector c2a = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride);
        FloatVector c2b = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride + LANES);
        FloatVector c3a = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride);
        FloatVector c3b = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride + LANES);
        FloatVector c4a = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride);
        FloatVector c4b = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride + LANES);
        FloatVector c5a = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride);
        FloatVector c5b = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride + LANES);
        FloatVector c6a = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride);
        FloatVector c6b = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride + LANES);
        FloatVector c7a = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride);
        FloatVector c7b = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride + LANES);
        FloatVector c8a = FloatVector.fromArray(SPECIES, c, c0 + 8 * cStride);
        FloatVector c8b = FloatVector.fromArray(SPECIES, c, c0 + 8 * cStride + LANES);
        FloatVector c9a = FloatVector.fromArray(SPECIES, c, c0 + 9 * cStride);
        FloatVector c9b = FloatVector.fromArray(SPECIES, c, c0 + 9 * cStride + LANES);
        for (int q = 0; q < terms; q++)
        {
            final int wq = w0 + q * wStride;
            final int aq = a0 + q * aCol;
            final FloatVector wa = FloatVector.fromArray(SPECIES, w, wq);
            final FloatVector wb = FloatVector.fromArray(SPECIES, w, wq + LANES);
            final FloatVector x0 = FloatVector.broadcast(SPECIES, a[aq]);
            c0a = wa.fma(x0, c0a);
            c0b = wb.fma(x0, c0b);
            final FloatVector x1 = FloatVector.broadcast(SPECIES, a[aq + 1]);
            c1a = wa.fma(x1, c1a);
            c1b = wb.fma(x1, c1b);
            final FloatVector x2 = FloatVector.broadcast(SPECIES, a[aq + 2]);
            c2a = wa.fma(x2, c2a);
            c2b = wb.fma(x2, c2b);
            final FloatVector x3 = FloatVector.broadcast(SPECIES, a[aq + 3]);
            c3a = wa.fma(x3, c3a);
            c3b = wb.fma(x3, c3b);
            final FloatVector x4 = FloatVector.broadcast(SPECIES, a[aq + 4]);
            c4a = wa.fma(x4, c4a);
            c4b = wb.fma(x4, c4b);
            final FloatVector x5 = FloatVector.broadcast(SPECIES, a[aq + 5]);
            c5a = wa.fma(x5, c5a);
            c5b = wb.fma(x5, c5b);
            final FloatVector x6 = FloatVector.broadcast(SPECIES, a[aq + 6]);
            c6a = wa.fma(x6, c6a);
            c6b = wb.fma(x6, c6b);
            final FloatVector x7 = FloatVector.broadcast(SPECIES, a[aq + 7]);
            c7a = wa.fma(x7, c7a);
            c7b = wb.fma(x7, c7b);
            final FloatVector x8 = FloatVector.broadcast(SPECIES, a[aq + 8]);
            c8a = wa.fma(x8, c8a);
            c8b = wb.fma(x8, c8b);
            final FloatVector x9 = FloatVector.broadcast(SPECIES, a[aq + 9]);
            c9a = wa.fma(x9, c9a);
            c9b = wb.fma(x9, c9b);
        }
        c0a.intoArray(c, c0);
        c0b.intoArray(c, c0 + LANES);
        c1a.intoArray(c, c0 + 1 * cStride);
        c1b.intoArray(c, c0 + 1 * cStride + LANES);
        c2a.intoArray(c, c0 + 2 * cStride);
        c2b.intoArray(c, c0 + 2 * cStride + LANES);
        c3a.intoArray(c, c0 + 3 * cStride);
        c3b.intoArray(c, c0 + 3 * cStride + LANES);
        c4a.intoArray(c, c0 + 4 * cStride);
        c4b.intoArray(c, c0 + 4 * cStride + LANES);
        c5a.intoArray(c, c0 + 5 * cStride);
        c5b.intoArray(c, c0 + 5 * cStride + LANES);
        c6a.intoArray(c, c0 + 6 * cStride);
        c6b.intoArray(c, c0 + 6 * cStride + LANES);
        c7a.intoArray(c, c0 + 7 * cStride);
        c7b.intoArray(c, c0 + 7 * cStride + LANES);
        c8a.intoArray(c, c0 + 8 * cStride);
        c8b.intoArray(c, c0 + 8 * cStride + LANES);
        c9a.intoArray(c, c0 + 9 * cStride);
        c9b.intoArray(c, c0 + 9 * cStride + LANES);
    }

    private static void product1(final float[] a, final int a0, final int aCol, final int terms, final float[] w, final int w0, final int wStride,
        final float[] c, final int c0)
    {
        FloatVector ca = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector cb = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        for (int q = 0; q < terms; q++)
        {
            final int wq = w0 + q * wStride;
            final FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + q * aCol]);
            ca = FloatVector.fromArray(SPECIES, w, wq).fma(x, ca);
            cb = FloatVector.fromArray(SPECIES, w, wq + LANES).fma(x, cb);
        }
        ca.intoArray(c, c0);
        cb.intoArray(c, c0 + LANES);
    }

    /** Rows i &lt; 8, two vectors: c_i += Σ_q val[q]·b[b0 + off[q] + i·bStride]. */
    private static void gather8(final float[] val, final int[] off, final int from, final int to, final float[] b, final int b0, final int bStride,
        final float[] c, final int c0, final int cStride)
    {
        FloatVector c0a = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector c0b = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        FloatVector c1a = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride);
        FloatVector c1b = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride + LANES);
        FloatVector c2a = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride);
        FloatVector c2b = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride + LANES);
        FloatVector c3a = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride);
        FloatVector c3b = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride + LANES);
        FloatVector c4a = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride);
        FloatVector c4b = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride + LANES);
        FloatVector c5a = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride);
        FloatVector c5b = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride + LANES);
        FloatVector c6a = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride);
        FloatVector c6b = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride + LANES);
        FloatVector c7a = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride);
        FloatVector c7b = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride + LANES);
        for (int q = from; q < to; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q];
            c0a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c0a);
            c0b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c0b);
            c1a = FloatVector.fromArray(SPECIES, b, bq + bStride).fma(x, c1a);
            c1b = FloatVector.fromArray(SPECIES, b, bq + bStride + LANES).fma(x, c1b);
            c2a = FloatVector.fromArray(SPECIES, b, bq + 2 * bStride).fma(x, c2a);
            c2b = FloatVector.fromArray(SPECIES, b, bq + 2 * bStride + LANES).fma(x, c2b);
            c3a = FloatVector.fromArray(SPECIES, b, bq + 3 * bStride).fma(x, c3a);
            c3b = FloatVector.fromArray(SPECIES, b, bq + 3 * bStride + LANES).fma(x, c3b);
            c4a = FloatVector.fromArray(SPECIES, b, bq + 4 * bStride).fma(x, c4a);
            c4b = FloatVector.fromArray(SPECIES, b, bq + 4 * bStride + LANES).fma(x, c4b);
            c5a = FloatVector.fromArray(SPECIES, b, bq + 5 * bStride).fma(x, c5a);
            c5b = FloatVector.fromArray(SPECIES, b, bq + 5 * bStride + LANES).fma(x, c5b);
            c6a = FloatVector.fromArray(SPECIES, b, bq + 6 * bStride).fma(x, c6a);
            c6b = FloatVector.fromArray(SPECIES, b, bq + 6 * bStride + LANES).fma(x, c6b);
            c7a = FloatVector.fromArray(SPECIES, b, bq + 7 * bStride).fma(x, c7a);
            c7b = FloatVector.fromArray(SPECIES, b, bq + 7 * bStride + LANES).fma(x, c7b);
        }
        c0a.intoArray(c, c0);
        c0b.intoArray(c, c0 + LANES);
        c1a.intoArray(c, c0 + 1 * cStride);
        c1b.intoArray(c, c0 + 1 * cStride + LANES);
        c2a.intoArray(c, c0 + 2 * cStride);
        c2b.intoArray(c, c0 + 2 * cStride + LANES);
        c3a.intoArray(c, c0 + 3 * cStride);
        c3b.intoArray(c, c0 + 3 * cStride + LANES);
        c4a.intoArray(c, c0 + 4 * cStride);
        c4b.intoArray(c, c0 + 4 * cStride + LANES);
        c5a.intoArray(c, c0 + 5 * cStride);
        c5b.intoArray(c, c0 + 5 * cStride + LANES);
        c6a.intoArray(c, c0 + 6 * cStride);
        c6b.intoArray(c, c0 + 6 * cStride + LANES);
        c7a.intoArray(c, c0 + 7 * cStride);
        c7b.intoArray(c, c0 + 7 * cStride + LANES);
    }

    /** {@link #gather8} for rows one panel apart (the fast path's tables): constant offsets let C2 merge the bounds checks. */
    private static void gather8Panel(final float[] val, final int[] off, final int from, final int to, final float[] b, final int b0,
        final float[] c, final int c0, final int cStride)
    {
        FloatVector c0a = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector c0b = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        FloatVector c1a = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride);
        FloatVector c1b = FloatVector.fromArray(SPECIES, c, c0 + 1 * cStride + LANES);
        FloatVector c2a = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride);
        FloatVector c2b = FloatVector.fromArray(SPECIES, c, c0 + 2 * cStride + LANES);
        FloatVector c3a = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride);
        FloatVector c3b = FloatVector.fromArray(SPECIES, c, c0 + 3 * cStride + LANES);
        FloatVector c4a = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride);
        FloatVector c4b = FloatVector.fromArray(SPECIES, c, c0 + 4 * cStride + LANES);
        FloatVector c5a = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride);
        FloatVector c5b = FloatVector.fromArray(SPECIES, c, c0 + 5 * cStride + LANES);
        FloatVector c6a = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride);
        FloatVector c6b = FloatVector.fromArray(SPECIES, c, c0 + 6 * cStride + LANES);
        FloatVector c7a = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride);
        FloatVector c7b = FloatVector.fromArray(SPECIES, c, c0 + 7 * cStride + LANES);
        for (int q = from; q < to; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q];
            c0a = FloatVector.fromArray(SPECIES, b, bq).fma(x, c0a);
            c0b = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, c0b);
            c1a = FloatVector.fromArray(SPECIES, b, bq + PANEL).fma(x, c1a);
            c1b = FloatVector.fromArray(SPECIES, b, bq + PANEL + LANES).fma(x, c1b);
            c2a = FloatVector.fromArray(SPECIES, b, bq + 2 * PANEL).fma(x, c2a);
            c2b = FloatVector.fromArray(SPECIES, b, bq + 2 * PANEL + LANES).fma(x, c2b);
            c3a = FloatVector.fromArray(SPECIES, b, bq + 3 * PANEL).fma(x, c3a);
            c3b = FloatVector.fromArray(SPECIES, b, bq + 3 * PANEL + LANES).fma(x, c3b);
            c4a = FloatVector.fromArray(SPECIES, b, bq + 4 * PANEL).fma(x, c4a);
            c4b = FloatVector.fromArray(SPECIES, b, bq + 4 * PANEL + LANES).fma(x, c4b);
            c5a = FloatVector.fromArray(SPECIES, b, bq + 5 * PANEL).fma(x, c5a);
            c5b = FloatVector.fromArray(SPECIES, b, bq + 5 * PANEL + LANES).fma(x, c5b);
            c6a = FloatVector.fromArray(SPECIES, b, bq + 6 * PANEL).fma(x, c6a);
            c6b = FloatVector.fromArray(SPECIES, b, bq + 6 * PANEL + LANES).fma(x, c6b);
            c7a = FloatVector.fromArray(SPECIES, b, bq + 7 * PANEL).fma(x, c7a);
            c7b = FloatVector.fromArray(SPECIES, b, bq + 7 * PANEL + LANES).fma(x, c7b);
        }
        c0a.intoArray(c, c0);
        c0b.intoArray(c, c0 + LANES);
        c1a.intoArray(c, c0 + 1 * cStride);
        c1b.intoArray(c, c0 + 1 * cStride + LANES);
        c2a.intoArray(c, c0 + 2 * cStride);
        c2b.intoArray(c, c0 + 2 * cStride + LANES);
        c3a.intoArray(c, c0 + 3 * cStride);
        c3b.intoArray(c, c0 + 3 * cStride + LANES);
        c4a.intoArray(c, c0 + 4 * cStride);
        c4b.intoArray(c, c0 + 4 * cStride + LANES);
        c5a.intoArray(c, c0 + 5 * cStride);
        c5b.intoArray(c, c0 + 5 * cStride + LANES);
        c6a.intoArray(c, c0 + 6 * cStride);
        c6b.intoArray(c, c0 + 6 * cStride + LANES);
        c7a.intoArray(c, c0 + 7 * cStride);
        c7b.intoArray(c, c0 + 7 * cStride + LANES);
    }

    private static void gather1(final float[] val, final int[] off, final int from, final int to, final float[] b, final int b0, final float[] c,
        final int c0)
    {
        FloatVector ca = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector cb = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        for (int q = from; q < to; q++)
        {
            final FloatVector x = FloatVector.broadcast(SPECIES, val[q]);
            final int bq = b0 + off[q];
            ca = FloatVector.fromArray(SPECIES, b, bq).fma(x, ca);
            cb = FloatVector.fromArray(SPECIES, b, bq + LANES).fma(x, cb);
        }
        ca.intoArray(c, c0);
        cb.intoArray(c, c0 + LANES);
    }
}
