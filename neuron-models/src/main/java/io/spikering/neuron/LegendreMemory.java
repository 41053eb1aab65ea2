package io.spikering.neuron;

/**
 * The linear memory of the Legendre Memory Unit (paper-spec §3.1): ṁ(t) = A·m(t) + B·u(t) with, for order d
 * (i, j = 0..d−1) and window θ (in steps),
 * <pre>
 *   A_ij = (2i+1)/θ · (−1 if i &lt; j, else (−1)^(i−j+1)),   B_i = (2i+1)·(−1)^i/θ
 * </pre>
 * so that u(t − θ') ≈ Σ_i P̃_i(θ'/θ)·m_i(t) for 0 ≤ θ' ≤ θ. Discretized with step 1 either by zero-order hold
 * (exact for inputs held constant over each step: Ā = e^A, B̄ = A⁻¹(e^A − I)B, both read off e^M for the augmented
 * M = [[A, B], [0, 0]]) or by forward Euler (Ā = I + A, B̄ = B). One step is m_t = Ā·m_{t−1} + B̄·u_t.
 */
public final class LegendreMemory
{
    /** Discretization method. */
    public enum Method
    {
        ZOH, EULER;

        /** Parses "zoh" or "euler", case-insensitively. */
        public static Method parse(final String name)
        {
            for (final Method m : values())
            {
                if (m.name().equalsIgnoreCase(name))
                {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown method '" + name + "': expected zoh or euler");
        }
    }

    /**
     * Largest order accepted: the matrices take about 8·d² bytes each (the ZOH exponential a few of them, 0.5 GB at
     * this order) and O(d³) time (about 20 s at order 1024 on one core, minutes at this one).
     */
    public static final int MAX_ORDER = 4096;

    private final int order;
    private final double theta;
    private final Method method;
    private final double[][] continuousA;
    private final double[] continuousB;
    private final double[][] a;
    private final double[] b;

    private LegendreMemory(final int order, final double theta, final Method method)
    {
        if (order <= 0 || order > MAX_ORDER)
        {
            throw new IllegalArgumentException("order must be in [1, " + MAX_ORDER + "], got " + order);
        }
        if (!(theta > 0.0) || theta == Double.POSITIVE_INFINITY)
        {
            throw new IllegalArgumentException("theta (window length in steps) must be finite and > 0, got " + theta);
        }
        this.order = order;
        this.theta = theta;
        this.method = method;
        continuousA = new double[order][order];
        continuousB = new double[order];
        for (int i = 0; i < order; i++)
        {
            final double scale = (2 * i + 1) / theta;
            for (int j = 0; j < order; j++)
            {
                continuousA[i][j] = scale * (i < j ? -1.0 : ((i - j + 1) % 2 == 0 ? 1.0 : -1.0));
            }
            continuousB[i] = scale * (i % 2 == 0 ? 1.0 : -1.0);
        }
        a = new double[order][];
        b = new double[order];
        if (method == Method.ZOH)
        {
            final double[][] augmented = new double[order + 1][order + 1];
            for (int i = 0; i < order; i++)
            {
                System.arraycopy(continuousA[i], 0, augmented[i], 0, order);
                augmented[i][order] = continuousB[i];
            }
            final double[][] e = MatrixExp.expm(augmented);
            for (int i = 0; i < order; i++)
            {
                a[i] = java.util.Arrays.copyOf(e[i], order);
                b[i] = e[i][order];
            }
        }
        else
        {
            for (int i = 0; i < order; i++)
            {
                a[i] = continuousA[i].clone();
                a[i][i] += 1.0;
                b[i] = continuousB[i];
            }
        }
    }

    /** Zero-order-hold discretization (step 1). */
    public static LegendreMemory zoh(final int order, final double theta)
    {
        return new LegendreMemory(order, theta, Method.ZOH);
    }

    /** Forward-Euler discretization (step 1); keras-lmu advises θ &gt; 4·order for it. */
    public static LegendreMemory euler(final int order, final double theta)
    {
        return new LegendreMemory(order, theta, Method.EULER);
    }

    public static LegendreMemory of(final int order, final double theta, final Method method)
    {
        if (method == null)
        {
            throw new IllegalArgumentException("method must not be null: zoh or euler");
        }
        return new LegendreMemory(order, theta, method);
    }

    public int order()
    {
        return order;
    }

    public double theta()
    {
        return theta;
    }

    public Method method()
    {
        return method;
    }

    /** A copy of the continuous-time A (d×d, 1/θ included). */
    public double[][] continuousA()
    {
        return copy(continuousA);
    }

    /** A copy of the continuous-time B (length d, 1/θ included). */
    public double[] continuousB()
    {
        return continuousB.clone();
    }

    /** A copy of the discrete Ā (d×d). */
    public double[][] a()
    {
        return copy(a);
    }

    /** A copy of the discrete B̄ (length d). */
    public double[] b()
    {
        return b.clone();
    }

    /**
     * One step m ← Ā·m + B̄·u, in place; {@code scratch} (length d) avoids allocation. Reference stepping for tests
     * and small tools; engines may use their own kernel.
     */
    public void step(final double[] m, final double u, final double[] scratch)
    {
        Checks.length("m", m, order);
        Checks.length("scratch", scratch, order);
        if (!Double.isFinite(u))
        {
            throw new IllegalArgumentException("u must be finite, got " + u);
        }
        for (int i = 0; i < order; i++)
        {
            final double[] ai = a[i];
            double sum = b[i] * u;
            for (int j = 0; j < order; j++)
            {
                sum += ai[j] * m[j];
            }
            scratch[i] = sum;
        }
        System.arraycopy(scratch, 0, m, 0, order);
    }

    /** Row k = Ā^k·B̄ (k = 0..steps−1), so that m_t = Σ_k row_k·u_{t−k} from a zero initial state. */
    public double[][] impulseResponse(final int steps)
    {
        Checks.positive("steps", steps);
        final double[][] rows = new double[steps][];
        rows[0] = b.clone();
        for (int k = 1; k < steps; k++)
        {
            final double[] previous = rows[k - 1];
            final double[] row = new double[order];
            for (int i = 0; i < order; i++)
            {
                double sum = 0.0;
                for (int j = 0; j < order; j++)
                {
                    sum += a[i][j] * previous[j];
                }
                row[i] = sum;
            }
            rows[k] = row;
        }
        return rows;
    }

    /** Decodes u(t − θ') ≈ Σ_i P̃_i(θ'/θ)·m_i from a memory state m, for 0 ≤ θ' ≤ θ. */
    public double decode(final double[] m, final double thetaPrime)
    {
        Checks.length("m", m, order);
        if (!(thetaPrime >= 0.0 && thetaPrime <= theta))
        {
            throw new IllegalArgumentException("thetaPrime must be in [0, theta=" + theta + "], got " + thetaPrime);
        }
        double sum = 0.0;
        for (int i = 0; i < order; i++)
        {
            sum += ShiftedLegendre.value(i, thetaPrime / theta) * m[i];
        }
        return sum;
    }

    private static double[][] copy(final double[][] m)
    {
        final double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++)
        {
            c[i] = m[i].clone();
        }
        return c;
    }
}
