package io.spikering.neuron;

/**
 * Matrix exponential by scaling and squaring with diagonal Padé approximants (Higham 2005, "The scaling and squaring
 * method for the matrix exponential revisited", Algorithm 2.3): Padé degree 3, 5, 7 or 9 when ‖A‖₁ is small enough,
 * otherwise degree 13 on A/2^s with s chosen so that ‖A/2^s‖₁ ≤ θ13, then s squarings. Double precision.
 */
public final class MatrixExp
{
    private static final double[] THETA = {1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1,
        2.097847961257068e0};
    private static final int[] DEGREE = {3, 5, 7, 9};
    private static final double THETA_13 = 5.371920351148152e0;
    private static final double[][] PADE = {
        {120, 60, 12, 1},
        {30240, 15120, 3360, 420, 30, 1},
        {17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1},
        {17643225600.0, 8821612800.0, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1},
    };
    private static final double[] PADE_13 = {64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
        1187353796428800.0, 129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
        40840800.0, 960960.0, 16380.0, 182.0, 1.0};

    private MatrixExp()
    {
    }

    /** e^A for a square matrix with finite entries; returns a new matrix. */
    public static double[][] expm(final double[][] a)
    {
        final int n = checkSquareFinite(a);
        final double norm = norm1(a);
        for (int k = 0; k < THETA.length; k++)
        {
            if (norm <= THETA[k])
            {
                return padeLowDegree(a, n, PADE[k], DEGREE[k]);
            }
        }
        final int s = Math.max(0, Math.getExponent(norm / THETA_13) + 1);
        final double[][] scaled = scale(a, Math.scalb(1.0, -s));
        double[][] r = pade13(scaled, n);
        for (int k = 0; k < s; k++)
        {
            r = multiply(r, r);
        }
        return r;
    }

    private static double[][] padeLowDegree(final double[][] a, final int n, final double[] b, final int m)
    {
        final double[][] a2 = multiply(a, a);
        // U = A·Σ b[2j+1]·A^(2j), V = Σ b[2j]·A^(2j)
        double[][] power = identity(n);
        final double[][] uInner = new double[n][n];
        final double[][] v = new double[n][n];
        for (int j = 0; 2 * j <= m; j++)
        {
            addScaled(v, power, b[2 * j]);
            addScaled(uInner, power, b[2 * j + 1]);
            power = multiply(power, a2);
        }
        return solvePade(multiply(a, uInner), v);
    }

    private static double[][] pade13(final double[][] a, final int n)
    {
        final double[] b = PADE_13;
        final double[][] ident = identity(n);
        final double[][] a2 = multiply(a, a);
        final double[][] a4 = multiply(a2, a2);
        final double[][] a6 = multiply(a4, a2);
        final double[][] u1 = combine(a6, b[13], a4, b[11], a2, b[9], null, 0);
        final double[][] u2 = combine(a6, b[7], a4, b[5], a2, b[3], ident, b[1]);
        final double[][] u = multiply(a, add(multiply(a6, u1), u2));
        final double[][] v1 = combine(a6, b[12], a4, b[10], a2, b[8], null, 0);
        final double[][] v2 = combine(a6, b[6], a4, b[4], a2, b[2], ident, b[0]);
        return solvePade(u, add(multiply(a6, v1), v2));
    }

    /** Solves (V − U)·R = (V + U) for R by Gaussian elimination with partial pivoting. */
    private static double[][] solvePade(final double[][] u, final double[][] v)
    {
        final int n = u.length;
        final double[][] p = new double[n][n];
        final double[][] q = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                p[i][j] = v[i][j] + u[i][j];
                q[i][j] = v[i][j] - u[i][j];
            }
        }
        return solve(q, p);
    }

    /** Solves A·X = B (both n×n, overwritten) with partial pivoting; returns X. */
    static double[][] solve(final double[][] a, final double[][] b)
    {
        final int n = a.length;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col]))
                {
                    pivot = r;
                }
            }
            if (a[pivot][col] == 0.0)
            {
                throw new IllegalStateException("singular matrix in expm's Padé solve (column " + col + ")");
            }
            swap(a, col, pivot);
            swap(b, col, pivot);
            for (int r = col + 1; r < n; r++)
            {
                final double factor = a[r][col] / a[col][col];
                if (factor != 0.0)
                {
                    for (int c = col; c < n; c++)
                    {
                        a[r][c] -= factor * a[col][c];
                    }
                    for (int c = 0; c < b[r].length; c++)
                    {
                        b[r][c] -= factor * b[col][c];
                    }
                }
            }
        }
        final double[][] x = new double[n][b[0].length];
        for (int r = n - 1; r >= 0; r--)
        {
            for (int c = 0; c < x[r].length; c++)
            {
                double sum = b[r][c];
                for (int k = r + 1; k < n; k++)
                {
                    sum -= a[r][k] * x[k][c];
                }
                x[r][c] = sum / a[r][r];
            }
        }
        return x;
    }

    static double[][] multiply(final double[][] a, final double[][] b)
    {
        final int n = a.length;
        final int inner = b.length;
        final int m = b[0].length;
        final double[][] c = new double[n][m];
        for (int i = 0; i < n; i++)
        {
            final double[] ci = c[i];
            for (int k = 0; k < inner; k++)
            {
                final double aik = a[i][k];
                if (aik != 0.0)
                {
                    final double[] bk = b[k];
                    for (int j = 0; j < m; j++)
                    {
                        ci[j] += aik * bk[j];
                    }
                }
            }
        }
        return c;
    }

    static double[][] identity(final int n)
    {
        final double[][] ident = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            ident[i][i] = 1.0;
        }
        return ident;
    }

    /** Maximum absolute column sum. */
    static double norm1(final double[][] a)
    {
        double max = 0.0;
        for (int j = 0; j < a.length; j++)
        {
            double sum = 0.0;
            for (final double[] row : a)
            {
                sum += Math.abs(row[j]);
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    private static double[][] combine(final double[][] m1, final double c1, final double[][] m2, final double c2,
        final double[][] m3, final double c3, final double[][] m4, final double c4)
    {
        final int n = m1.length;
        final double[][] r = new double[n][n];
        addScaled(r, m1, c1);
        addScaled(r, m2, c2);
        addScaled(r, m3, c3);
        if (m4 != null)
        {
            addScaled(r, m4, c4);
        }
        return r;
    }

    private static void addScaled(final double[][] target, final double[][] m, final double c)
    {
        for (int i = 0; i < target.length; i++)
        {
            for (int j = 0; j < target.length; j++)
            {
                target[i][j] += c * m[i][j];
            }
        }
    }

    private static double[][] add(final double[][] a, final double[][] b)
    {
        final double[][] r = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++)
        {
            for (int j = 0; j < a.length; j++)
            {
                r[i][j] = a[i][j] + b[i][j];
            }
        }
        return r;
    }

    private static double[][] scale(final double[][] a, final double factor)
    {
        final double[][] r = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++)
        {
            for (int j = 0; j < a.length; j++)
            {
                r[i][j] = a[i][j] * factor;
            }
        }
        return r;
    }

    private static void swap(final double[][] m, final int i, final int j)
    {
        final double[] t = m[i];
        m[i] = m[j];
        m[j] = t;
    }

    private static int checkSquareFinite(final double[][] a)
    {
        if (a == null || a.length == 0)
        {
            throw new IllegalArgumentException("a must be a non-empty square matrix, got " + (a == null ? "null" : "0 rows"));
        }
        final int n = a.length;
        for (int i = 0; i < n; i++)
        {
            if (a[i] == null || a[i].length != n)
            {
                throw new IllegalArgumentException("a must be square: row " + i + " has "
                    + (a[i] == null ? "null" : a[i].length) + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++)
            {
                if (!Double.isFinite(a[i][j]))
                {
                    throw new IllegalArgumentException("a[" + i + "][" + j + "] must be finite, got " + a[i][j]);
                }
            }
        }
        return n;
    }
}
