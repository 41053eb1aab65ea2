package io.spikering.training.mackeyglass;

/** Ridge regression by Cholesky on the normal equations, on standardized features (folded back to raw ones). */
final class Ridge
{
    private Ridge()
    {
    }

    /**
     * Least squares y ≈ Σ_j w_j x_j + c with penalty λ Σ w_j² on the standardized features; returns w (length p)
     * followed by the intercept c. Constant features get weight 0.
     */
    static double[] fit(final double[][] x, final double[] y, final double lambda)
    {
        final int n = x.length;
        final int p = x[0].length;
        final double[] mean = new double[p];
        final double[] scale = new double[p];
        for (final double[] row : x)
        {
            for (int j = 0; j < p; j++)
            {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++)
        {
            mean[j] /= n;
        }
        for (final double[] row : x)
        {
            for (int j = 0; j < p; j++)
            {
                final double d = row[j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < p; j++)
        {
            scale[j] = Math.sqrt(scale[j] / n);
        }
        double yMean = 0;
        for (final double v : y)
        {
            yMean += v;
        }
        yMean /= n;
        final double[][] g = new double[p][p];
        final double[] r = new double[p];
        final double[] z = new double[p];
        for (int s = 0; s < n; s++)
        {
            for (int j = 0; j < p; j++)
            {
                z[j] = scale[j] > 1e-12 ? (x[s][j] - mean[j]) / scale[j] : 0.0;
            }
            final double ys = y[s] - yMean;
            for (int i = 0; i < p; i++)
            {
                final double zi = z[i];
                r[i] += zi * ys;
                final double[] gi = g[i];
                for (int j = 0; j <= i; j++)
                {
                    gi[j] += zi * z[j];
                }
            }
        }
        for (int i = 0; i < p; i++)
        {
            g[i][i] += lambda * n + (scale[i] > 1e-12 ? 0 : 1);
            for (int j = 0; j < i; j++)
            {
                g[j][i] = g[i][j];
            }
        }
        final double[] wz = solveSpd(g, r);
        final double[] out = new double[p + 1];
        double c = yMean;
        for (int j = 0; j < p; j++)
        {
            out[j] = scale[j] > 1e-12 ? wz[j] / scale[j] : 0.0;
            c -= out[j] * mean[j];
        }
        out[p] = c;
        return out;
    }

    /** Solves G w = r for symmetric positive definite G (Cholesky). */
    static double[] solveSpd(final double[][] g, final double[] r)
    {
        final int p = r.length;
        final double[][] l = new double[p][p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = g[i][j];
                for (int k = 0; k < j; k++)
                {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j)
                {
                    if (!(s > 0))
                    {
                        throw new IllegalStateException("ridge: normal matrix not positive definite at " + i + " (" + s + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                }
                else
                {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        final double[] y = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = r[i];
            for (int k = 0; k < i; k++)
            {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        final double[] w = new double[p];
        for (int i = p - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < p; k++)
            {
                s -= l[k][i] * w[k];
            }
            w[i] = s / l[i][i];
        }
        return w;
    }
}
