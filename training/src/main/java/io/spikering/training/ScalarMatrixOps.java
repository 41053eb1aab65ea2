package io.spikering.training;

/** {@link FloatMatrixOps} as plain loops: the reference the Vector API tiles are tested against, and their fallback. */
final class ScalarMatrixOps implements FloatMatrixOps
{
    @Override
    public String describe()
    {
        return "plain loops (run the JVM with --add-modules=jdk.incubator.vector, as ./spikering train does, for the Vector API tiles)";
    }

    @Override
    public void multiplyAdd(final float[] a, final int aOff, final int aRow, final int aCol, final int rows, final int k, final float[] w,
        final int wOff, final int wStride, final float[] c, final int cOff, final int cStride, final int width)
    {
        for (int i = 0; i < rows; i++)
        {
            final int co = cOff + i * cStride;
            for (int q = 0; q < k; q++)
            {
                final float av = a[aOff + i * aRow + q * aCol];
                final int wo = wOff + q * wStride;
                for (int j = 0; j < width; j++)
                {
                    c[co + j] = Math.fma(av, w[wo + j], c[co + j]);
                }
            }
        }
    }

    @Override
    public void gather(final float[] val, final int[] off, final int from, final int to, final float[] b, final int shift, final int bStride,
        final float[] c, final int cOff, final int cStride, final int rows, final int width)
    {
        for (int i = 0; i < rows; i++)
        {
            final int co = cOff + i * cStride;
            for (int q = from; q < to; q++)
            {
                final float v = val[q];
                final int bo = shift + off[q] + i * bStride;
                for (int j = 0; j < width; j++)
                {
                    c[co + j] = Math.fma(v, b[bo + j], c[co + j]);
                }
            }
        }
    }

    @Override
    public void tanh(final float[] src, final int srcOff, final float[] dst, final int dstOff, final int n)
    {
        FloatTanh.apply(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void tanhGradient(final float[] dh, final int dhOff, final float[] y, final int yOff, final int n)
    {
        for (int k = 0; k < n; k++)
        {
            final float v = y[yOff + k];
            y[yOff + k] = dh[dhOff + k] * (1.0f - v * v);
        }
    }

    @Override
    public void add(final float[] src, final int srcOff, final float[] dst, final int dstOff, final int n)
    {
        for (int k = 0; k < n; k++)
        {
            dst[dstOff + k] += src[srcOff + k];
        }
    }

    @Override
    public void addScaled(final float scale, final float[] src, final int srcOff, final float[] dst, final int dstOff, final int n)
    {
        for (int k = 0; k < n; k++)
        {
            dst[dstOff + k] += scale * src[srcOff + k];
        }
    }

    @Override
    public void sumScaled(final float[] a, final int aOff, final float scale, final float[] b, final int bOff, final float[] dst, final int dstOff,
        final int n)
    {
        for (int k = 0; k < n; k++)
        {
            dst[dstOff + k] = a[aOff + k] + scale * b[bOff + k];
        }
    }

    @Override
    public void gatherTile(final float[] val, final int[] off, final int[] index, final int from, final int full, final int to, final int base,
        final boolean suffix, final float[] b, final int shift, final float[] c, final int cOff, final int cStride)
    {
        for (int i = 0; i < 8; i++)
        {
            final int co = cOff + i * cStride;
            for (int q = from; q < to; q++)
            {
                if (q >= full && (suffix ? i < index[q] - base : i >= base - index[q]))
                {
                    continue;
                }
                final float v = val[q];
                final int bo = shift + off[q] + i * PANEL;
                for (int j = 0; j < PANEL; j++)
                {
                    c[co + j] = Math.fma(v, b[bo + j], c[co + j]);
                }
            }
        }
    }
}
