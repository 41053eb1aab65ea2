package io.spikering.training;

import io.spikering.neuron.LegendreMemory;

/**
 * The discrete Legendre memory as it is exported: Ā and B̄ rounded to float32. Training features, the exported
 * model and the reference forward pass all use these rounded values, so they describe one and the same linear
 * filter m_t = Ā m_{t−1} + B̄ u_t (m_{−1} = 0).
 */
public final class MemoryMatrices
{
    private final float[][] a;
    private final float[] b;

    private MemoryMatrices(final float[][] a, final float[] b)
    {
        this.a = a;
        this.b = b;
    }

    /** Wraps float32 matrices as read from a model file (a: d×d row-major, b: d). */
    public static MemoryMatrices of(final float[] aRowMajor, final float[] b)
    {
        final int d = b.length;
        if (aRowMajor.length != d * d)
        {
            throw new IllegalArgumentException("Ā has " + aRowMajor.length + " entries, expected " + d + "×" + d + " for B̄ of length " + d);
        }
        final float[][] a = new float[d][d];
        for (int i = 0; i < d; i++)
        {
            System.arraycopy(aRowMajor, i * d, a[i], 0, d);
        }
        return new MemoryMatrices(a, b.clone());
    }

    public static MemoryMatrices of(final LmuSpec spec)
    {
        final LegendreMemory lmu = spec.zoh() ? LegendreMemory.zoh(spec.order(), spec.theta()) : LegendreMemory.euler(spec.order(), spec.theta());
        final double[][] ad = lmu.a();
        final double[] bd = lmu.b();
        final int d = spec.order();
        final float[][] a = new float[d][d];
        final float[] b = new float[d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                a[i][j] = (float)ad[i][j];
            }
            b[i] = (float)bd[i];
        }
        return new MemoryMatrices(a, b);
    }

    /** Ā as float32, d×d, row i = output dimension. Do not modify. */
    public float[][] a()
    {
        return a;
    }

    /** B̄ as float32, length d. Do not modify. */
    public float[] b()
    {
        return b;
    }

    public int order()
    {
        return b.length;
    }

    /** Ā transposed in double: row j holds column j of Ā, so Ā·m is a sum of rows scaled by m_j (axpy form). */
    double[][] aTransposed()
    {
        final int d = b.length;
        final double[][] t = new double[d][d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** Rows k = 0..steps−1 of the impulse response Ā^k B̄, in double from the float32 matrices. */
    double[][] impulseResponse(final int steps)
    {
        final int d = b.length;
        final double[][] at = aTransposed();
        final double[][] h = new double[steps][d];
        for (int i = 0; i < d; i++)
        {
            h[0][i] = b[i];
        }
        for (int k = 1; k < steps; k++)
        {
            multiplyTransposed(at, h[k - 1], h[k]);
        }
        return h;
    }

    /** out = Ā·m given Āᵀ (out must not alias m). */
    static void multiplyTransposed(final double[][] at, final double[] m, final double[] out)
    {
        java.util.Arrays.fill(out, 0.0);
        for (int j = 0; j < m.length; j++)
        {
            final double mj = m[j];
            final double[] col = at[j];
            for (int i = 0; i < out.length; i++)
            {
                out[i] += mj * col[i];
            }
        }
    }
}
