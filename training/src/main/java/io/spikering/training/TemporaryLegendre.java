package io.spikering.training;

/**
 * Stand-in for {@code io.spikering.neuron.LegendreMemory} until it lands on main: continuous (A, B) of the
 * Legendre delay (paper-spec §3.1) and its zero-order-hold discretization with dt = 1 (§3.2).
 */
final class TemporaryLegendre
{
    private TemporaryLegendre()
    {
    }

    /** Returns {Ā (d×d), B̄ as a 1×d row} for ZOH, or Euler when {@code zoh} is false. */
    static double[][][] discretize(final int order, final double theta, final boolean zoh)
    {
        final double[][] a = new double[order][order];
        final double[] b = new double[order];
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                final double sign = i < j ? -1.0 : (((i - j + 1) & 1) == 0 ? 1.0 : -1.0);
                a[i][j] = (2 * i + 1) / theta * sign;
            }
            b[i] = (2 * i + 1) * ((i & 1) == 0 ? 1.0 : -1.0) / theta;
        }
        final double[][] ad = new double[order][order];
        final double[] bd = new double[order];
        if (!zoh)
        {
            for (int i = 0; i < order; i++)
            {
                ad[i] = a[i].clone();
                ad[i][i] += 1.0;
            }
            return new double[][][] {ad, {b.clone()}};
        }
        final int n = order + 1;
        final double[][] m = new double[n][n];
        for (int i = 0; i < order; i++)
        {
            System.arraycopy(a[i], 0, m[i], 0, order);
            m[i][order] = b[i];
        }
        final double[][] e = expm(m);
        for (int i = 0; i < order; i++)
        {
            System.arraycopy(e[i], 0, ad[i], 0, order);
            bd[i] = e[i][order];
        }
        return new double[][][] {ad, {bd}};
    }

    /** Scaling and squaring with a Taylor series; accurate to double rounding for these well-behaved matrices. */
    static double[][] expm(final double[][] m)
    {
        final int n = m.length;
        double norm = 0.0;
        for (final double[] row : m)
        {
            double s = 0.0;
            for (final double v : row)
            {
                s += Math.abs(v);
            }
            norm = Math.max(norm, s);
        }
        final int squarings = Math.max(0, (int)Math.ceil(Math.log(norm / 0.5) / Math.log(2.0)));
        final double scale = Math.scalb(1.0, -squarings);
        final double[][] x = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                x[i][j] = m[i][j] * scale;
            }
        }
        double[][] result = identity(n);
        double[][] term = identity(n);
        for (int k = 1; k <= 20; k++)
        {
            term = multiply(term, x);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    term[i][j] /= k;
                    result[i][j] += term[i][j];
                }
            }
        }
        for (int s = 0; s < squarings; s++)
        {
            result = multiply(result, result);
        }
        return result;
    }

    private static double[][] identity(final int n)
    {
        final double[][] id = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            id[i][i] = 1.0;
        }
        return id;
    }

    private static double[][] multiply(final double[][] p, final double[][] q)
    {
        final int n = p.length;
        final double[][] r = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                final double pik = p[i][k];
                final double[] qk = q[k];
                final double[] ri = r[i];
                for (int j = 0; j < n; j++)
                {
                    ri[j] += pik * qk[j];
                }
            }
        }
        return r;
    }
}
