package io.spikering.training;

/**
 * {@link WindowProducts} as plain loops: the reference for {@link VectorWindowProducts} and the fallback without the
 * Vector API module. The column-range forms serve the vector tiles' remainder columns.
 */
final class ScalarWindowProducts implements WindowProducts
{
    @Override
    public String describe()
    {
        return "plain loops";
    }

    @Override
    public void preactivation(final float[] mem, final int[] memOffset, final int rows, final int d, final float[] w, final int n,
        final float[][] z)
    {
        preactivation(mem, memOffset, 0, rows, d, w, n, z, 0, n);
    }

    @Override
    public void gradient(final float[] mem, final int[] memOffset, final int rows, final int d, final float[][] dz, final int n,
        final float[] grad)
    {
        gradient(mem, memOffset, rows, 0, d, dz, n, grad, 0, n);
    }

    /** {@link #preactivation} for rows [r0, r1) and columns [j0, j1), four rows per pass over w (C2 vectorises the axpy form). */
    static void preactivation(final float[] mem, final int[] memOffset, final int r0, final int r1, final int d, final float[] w,
        final int n, final float[][] z, final int j0, final int j1)
    {
        int r = r0;
        for (; r + 4 <= r1; r += 4)
        {
            final float[] z0 = z[r];
            final float[] z1 = z[r + 1];
            final float[] z2 = z[r + 2];
            final float[] z3 = z[r + 3];
            java.util.Arrays.fill(z0, j0, j1, 0.0f);
            java.util.Arrays.fill(z1, j0, j1, 0.0f);
            java.util.Arrays.fill(z2, j0, j1, 0.0f);
            java.util.Arrays.fill(z3, j0, j1, 0.0f);
            final int o0 = memOffset[r];
            final int o1 = memOffset[r + 1];
            final int o2 = memOffset[r + 2];
            final int o3 = memOffset[r + 3];
            for (int i = 0; i < d; i++)
            {
                final float m0 = mem[o0 + i];
                final float m1 = mem[o1 + i];
                final float m2 = mem[o2 + i];
                final float m3 = mem[o3 + i];
                final int row = i * n;
                for (int j = j0; j < j1; j++)
                {
                    final float wij = w[row + j];
                    z0[j] += m0 * wij;
                    z1[j] += m1 * wij;
                    z2[j] += m2 * wij;
                    z3[j] += m3 * wij;
                }
            }
        }
        for (; r < r1; r++)
        {
            final float[] zr = z[r];
            java.util.Arrays.fill(zr, j0, j1, 0.0f);
            final int o = memOffset[r];
            for (int i = 0; i < d; i++)
            {
                final float m = mem[o + i];
                final int row = i * n;
                for (int j = j0; j < j1; j++)
                {
                    zr[j] += m * w[row + j];
                }
            }
        }
    }

    /** {@link #gradient} for memory dimensions [i0, i1) and columns [j0, j1). */
    static void gradient(final float[] mem, final int[] memOffset, final int rows, final int i0, final int i1, final float[][] dz,
        final int n, final float[] grad, final int j0, final int j1)
    {
        final int blocked = rows & ~3;
        for (int i = i0; i < i1; i++)
        {
            final int g = i * n;
            for (int r = 0; r < blocked; r += 4)
            {
                final float m0 = mem[memOffset[r] + i];
                final float m1 = mem[memOffset[r + 1] + i];
                final float m2 = mem[memOffset[r + 2] + i];
                final float m3 = mem[memOffset[r + 3] + i];
                final float[] d0 = dz[r];
                final float[] d1 = dz[r + 1];
                final float[] d2 = dz[r + 2];
                final float[] d3 = dz[r + 3];
                for (int j = j0; j < j1; j++)
                {
                    grad[g + j] += m0 * d0[j] + m1 * d1[j] + m2 * d2[j] + m3 * d3[j];
                }
            }
            for (int r = blocked; r < rows; r++)
            {
                final float m = mem[memOffset[r] + i];
                final float[] dr = dz[r];
                for (int j = j0; j < j1; j++)
                {
                    grad[g + j] += m * dr[j];
                }
            }
        }
    }
}
