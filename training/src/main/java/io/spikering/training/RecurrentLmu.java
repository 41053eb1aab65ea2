package io.spikering.training;

import io.spikering.neuron.Activation;

/**
 * The general recurrent LMU cell with KerasLMU's options, trained by full backpropagation through time, in double
 * precision (obvious rather than fast). Per step t, input x_t (size I), memory m (d), hidden h (N), all zero at t = −1:
 * <pre>
 *   u_t = e_x·x_t + [e_h·h_{t−1}] + [e_m·m_{t−1}]            hidden_to_memory, memory_to_memory optional
 *   m_t = Ā m_{t−1} + B̄ u_t                                  Ā, B̄ fixed (ZOH or Euler)
 *   z_t = W_mᵀ m_t + [W_xᵀ x_t] + [W_hᵀ h_{t−1}] + b           input_to_hidden, hidden recurrent kernel optional
 *   h_t = f(z_t), or the sigma-delta quantizer of f (spikes forward, f'(z) backward, no gradient through v)
 *   logits = W_outᵀ (Σ_{t ≥ T−K} h_t / K) + b_out                K = 1 is KerasLMU's last-step readout
 * </pre>
 * Parameters live in one double array; see the offset methods. Quantizer voltages start U[0,1) at step 0.
 */
public final class RecurrentLmu
{
    /** KerasLMU's structural options. */
    public record Options(boolean hiddenToMemory, boolean memoryToMemory, boolean inputToHidden, boolean hiddenRecurrent)
    {
        /** KerasLMU's psMNIST example: input_to_hidden and a SimpleRNN hidden cell with its recurrent kernel. */
        public static Options kerasPsMnist()
        {
            return new Options(false, false, true, true);
        }
    }

    private final LmuSpec spec;
    private final Options options;
    private final int inputs;
    private final double[][] a;
    private final double[][] at;
    private final double[] b;
    private final double[][] wmT;
    private final double[][] whT;
    private final int ex;
    private final int eh;
    private final int em;
    private final int wm;
    private final int wx;
    private final int wh;
    private final int bias;
    private final int wo;
    private final int bo;
    private final int size;

    // per-sample workspace: states of every step (t = 0..T−1), index t+1 with row 0 = zero initial state
    private final double[][] m;
    private final double[][] h;
    private final double[][] z;
    private final double[] u;
    private final double[] hbar;
    private final double[] logits;
    private final double[] voltage;
    private final double[] bDhbar;
    private final double[] bDh;
    private final double[] bDm;
    private final double[] bDz;
    private final double[] bDmNext;
    private final double[] bDhNext;
    private long[] tally;

    public RecurrentLmu(final LmuSpec spec, final Options options, final int inputs)
    {
        if (inputs < 1)
        {
            throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
        }
        this.spec = spec;
        this.options = options;
        this.inputs = inputs;
        final MemoryMatrices mm = MemoryMatrices.of(spec);
        final int d = spec.order();
        final int n = spec.hidden();
        this.a = new double[d][d];
        this.at = new double[d][d];
        this.b = new double[d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                a[i][j] = mm.a()[i][j];
                at[j][i] = mm.a()[i][j];
            }
            b[i] = mm.b()[i];
        }
        this.wmT = new double[n][d];
        this.whT = options.hiddenRecurrent() ? new double[n][n] : null;
        final int[] layout = layout(spec, options, inputs);
        ex = layout[0];
        eh = layout[1];
        em = layout[2];
        wm = layout[3];
        wx = layout[4];
        wh = layout[5];
        bias = layout[6];
        wo = layout[7];
        bo = layout[8];
        size = layout[9];
        final int steps = spec.steps();
        this.m = new double[steps + 1][d];
        this.h = new double[steps + 1][n];
        this.z = new double[steps + 1][n];
        this.u = new double[steps + 1];
        this.hbar = new double[n];
        this.logits = new double[spec.classes()];
        this.voltage = new double[n];
        this.bDhbar = new double[n];
        this.bDh = new double[n];
        this.bDm = new double[d];
        this.bDz = new double[n];
        this.bDmNext = new double[d];
        this.bDhNext = new double[n];
    }

    public int parameterCount()
    {
        return size;
    }

    /** Offsets of e_x, e_h, e_m, W_m, W_x, W_h, b, W_out, b_out in the parameter array (absent parts have zero length). */
    int[] offsets()
    {
        return new int[] {ex, eh, em, wm, wx, wh, bias, wo, bo, size};
    }

    /** {@link #offsets()} of a cell of this shape, then the parameter count, without building the cell. */
    static int[] layout(final LmuSpec spec, final Options options, final int inputs)
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final int[] o = new int[10];
        o[1] = o[0] + inputs;
        o[2] = o[1] + (options.hiddenToMemory() ? n : 0);
        o[3] = o[2] + (options.memoryToMemory() ? d : 0);
        o[4] = o[3] + d * n;
        o[5] = o[4] + (options.inputToHidden() ? inputs * n : 0);
        o[6] = o[5] + (options.hiddenRecurrent() ? n * n : 0);
        o[7] = o[6] + n;
        o[8] = o[7] + n * spec.classes();
        o[9] = o[8] + spec.classes();
        return o;
    }

    int inputs()
    {
        return inputs;
    }

    /** KerasLMU-like initialization: encoders e_x = 1, e_h = e_m = 0; Glorot-normal kernels; zero biases. */
    public double[] initialize(final long seed)
    {
        final java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        final double[] p = new double[size];
        final int d = spec.order();
        final int n = spec.hidden();
        for (int i = 0; i < inputs; i++)
        {
            p[ex + i] = 1.0;
        }
        fill(p, wm, d * n, Math.sqrt(2.0 / (d + n)), r);
        if (options.inputToHidden())
        {
            fill(p, wx, inputs * n, Math.sqrt(2.0 / (inputs + n)), r);
        }
        if (options.hiddenRecurrent())
        {
            fill(p, wh, n * n, Math.sqrt(1.0 / n), r);
        }
        fill(p, wo, n * spec.classes(), Math.sqrt(2.0 / (n + spec.classes())), r);
        return p;
    }

    private static void fill(final double[] p, final int from, final int count, final double std, final java.util.SplittableRandom r)
    {
        for (int i = 0; i < count; i++)
        {
            p[from + i] = std * Math.sqrt(-2.0 * Math.log(1.0 - r.nextDouble())) * Math.cos(2.0 * Math.PI * r.nextDouble());
        }
    }

    /**
     * Forward pass of one sample ({@code x[t·I + i]}); returns the cross-entropy. When {@code dt > 0} the hidden units are
     * quantized with voltages from {@code voltageSeed}; when {@code residual} is non-null, h = f(z) + residual[t][j] is
     * used instead (the residual frozen, for gradient checks), and when {@code captureResidual} is non-null the
     * quantization residual q − f(z) of this pass is stored there.
     */
    public double forward(final double[] p, final float[] x, final int label, final double dt, final long voltageSeed,
        final double[][] residual, final double[][] captureResidual)
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final Activation f = spec.activation();
        if (x.length != steps * inputs)
        {
            throw new IllegalArgumentException("sample has " + x.length + " values, expected steps × inputs = " + steps * inputs);
        }
        java.util.Arrays.fill(m[0], 0.0);
        java.util.Arrays.fill(h[0], 0.0);
        java.util.Arrays.fill(hbar, 0.0);
        if (dt > 0.0)
        {
            ShardKernel.initialVoltages(voltageSeed, voltage);
        }
        for (int t = 1; t <= steps; t++)
        {
            final int xo = (t - 1) * inputs;
            double ut = 0.0;
            for (int i = 0; i < inputs; i++)
            {
                ut += p[ex + i] * x[xo + i];
            }
            if (options.hiddenToMemory())
            {
                for (int j = 0; j < n; j++)
                {
                    ut += p[eh + j] * h[t - 1][j];
                }
            }
            if (options.memoryToMemory())
            {
                for (int i = 0; i < d; i++)
                {
                    ut += p[em + i] * m[t - 1][i];
                }
            }
            u[t] = ut;
            final double[] mt = m[t];
            final double[] mp = m[t - 1];
            for (int i = 0; i < d; i++)
            {
                mt[i] = b[i] * ut;
            }
            for (int j = 0; j < d; j++)
            {
                // Ā·m as a sum of Ā's columns (axpy form, vectorised)
                final double mj = mp[j];
                final double[] col = at[j];
                for (int i = 0; i < d; i++)
                {
                    mt[i] += mj * col[i];
                }
            }
            final double[] zt = z[t];
            for (int j = 0; j < n; j++)
            {
                zt[j] = p[bias + j];
            }
            for (int i = 0; i < d; i++)
            {
                final double mi = mt[i];
                final int row = wm + i * n;
                for (int j = 0; j < n; j++)
                {
                    zt[j] += mi * p[row + j];
                }
            }
            if (options.inputToHidden())
            {
                for (int i = 0; i < inputs; i++)
                {
                    final double xi = x[xo + i];
                    final int row = wx + i * n;
                    for (int j = 0; j < n; j++)
                    {
                        zt[j] += xi * p[row + j];
                    }
                }
            }
            if (options.hiddenRecurrent())
            {
                final double[] hp = h[t - 1];
                for (int k = 0; k < n; k++)
                {
                    final double hk = hp[k];
                    final int row = wh + k * n;
                    for (int j = 0; j < n; j++)
                    {
                        zt[j] += hk * p[row + j];
                    }
                }
            }
            final double[] ht = h[t];
            for (int j = 0; j < n; j++)
            {
                final double r = f.apply(zt[j]);
                if (residual != null)
                {
                    ht[j] = r + residual[t - 1][j];
                }
                else if (dt > 0.0)
                {
                    double v = voltage[j] + dt * r;
                    double c = Math.floor(v);
                    v -= c;
                    if (v >= 1.0)
                    {
                        v -= 1.0;
                        c += 1.0;
                    }
                    voltage[j] = v;
                    ht[j] = c / dt;
                    if (tally != null)
                    {
                        tally[(int)Math.max(-ShardKernel.COUNT_RANGE, Math.min(ShardKernel.COUNT_RANGE, c)) + ShardKernel.COUNT_RANGE]++;
                    }
                }
                else
                {
                    ht[j] = r;
                }
                if (captureResidual != null)
                {
                    captureResidual[t - 1][j] = ht[j] - r;
                }
            }
            if (t > steps - spec.window())
            {
                for (int j = 0; j < n; j++)
                {
                    hbar[j] += ht[j];
                }
            }
        }
        final int classes = spec.classes();
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++)
        {
            double acc = p[bo + c];
            for (int j = 0; j < n; j++)
            {
                acc += hbar[j] / spec.window() * p[wo + j * classes + c];
            }
            logits[c] = acc;
            max = Math.max(max, acc);
        }
        double sum = 0.0;
        for (int c = 0; c < classes; c++)
        {
            sum += Math.exp(logits[c] - max);
        }
        return Math.log(sum) + max - logits[label];
    }

    /**
     * From now on, quantized forward passes add one to {@code counts[n + COUNT_RANGE]} per neuron-step with count n
     * (clamped to ±{@value ShardKernel#COUNT_RANGE}), as {@link Evaluation#counts()}; null stops the tally.
     */
    void tallyCounts(final long[] counts)
    {
        this.tally = counts;
    }

    /** The prediction of the last {@link #forward} (first index of the largest logit). */
    public int prediction()
    {
        int best = 0;
        for (int c = 1; c < logits.length; c++)
        {
            if (logits[c] > logits[best])
            {
                best = c;
            }
        }
        return best;
    }

    /** Backpropagation through time of the last {@link #forward}; adds scale·∂loss/∂p to grad (straight-through at the quantizer). */
    public void backward(final double[] p, final float[] x, final int label, final double scale, final double[] grad)
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final int classes = spec.classes();
        final int window = spec.window();
        final Activation f = spec.activation();
        double max = Double.NEGATIVE_INFINITY;
        for (final double l : logits)
        {
            max = Math.max(max, l);
        }
        double sum = 0.0;
        for (final double l : logits)
        {
            sum += Math.exp(l - max);
        }
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < n; j++)
            {
                wmT[j][i] = p[wm + i * n + j];
            }
        }
        if (options.hiddenRecurrent())
        {
            for (int k = 0; k < n; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    whT[j][k] = p[wh + k * n + j];
                }
            }
        }
        final double[] dhbar = bDhbar;
        final double[] dh = bDh;      // ∂L/∂h_t flowing back from later steps
        final double[] dm = bDm;      // ∂L/∂m_t flowing back from later steps
        final double[] dz = bDz;
        final double[] dmNext = bDmNext;
        final double[] dhNext = bDhNext;
        java.util.Arrays.fill(dhbar, 0.0);
        java.util.Arrays.fill(dh, 0.0);
        java.util.Arrays.fill(dm, 0.0);
        for (int c = 0; c < classes; c++)
        {
            final double dl = scale * (Math.exp(logits[c] - max) / sum - (c == label ? 1.0 : 0.0));
            grad[bo + c] += dl;
            for (int j = 0; j < n; j++)
            {
                grad[wo + j * classes + c] += hbar[j] / window * dl;
                dhbar[j] += p[wo + j * classes + c] * dl / window;
            }
        }
        for (int t = steps; t >= 1; t--)
        {
            if (t > steps - window)
            {
                for (int j = 0; j < n; j++)
                {
                    dh[j] += dhbar[j];
                }
            }
            final double[] zt = z[t];
            for (int j = 0; j < n; j++)
            {
                dz[j] = dh[j] * f.derivative(zt[j]);
                grad[bias + j] += dz[j];
            }
            final int xo = (t - 1) * inputs;
            final double[] mt = m[t];
            final double[] hp = h[t - 1];
            // weight gradients and ∂/∂m_t via W_m
            for (int i = 0; i < d; i++)
            {
                final int row = wm + i * n;
                final double mi = mt[i];
                for (int j = 0; j < n; j++)
                {
                    grad[row + j] += mi * dz[j];
                }
            }
            for (int j = 0; j < n; j++)
            {
                final double dzj = dz[j];
                final double[] col = wmT[j];
                for (int i = 0; i < d; i++)
                {
                    dm[i] += dzj * col[i];
                }
            }
            if (options.inputToHidden())
            {
                for (int i = 0; i < inputs; i++)
                {
                    final int row = wx + i * n;
                    for (int j = 0; j < n; j++)
                    {
                        grad[row + j] += x[xo + i] * dz[j];
                    }
                }
            }
            java.util.Arrays.fill(dhNext, 0.0);
            if (options.hiddenRecurrent())
            {
                for (int k = 0; k < n; k++)
                {
                    final int row = wh + k * n;
                    final double hk = hp[k];
                    for (int j = 0; j < n; j++)
                    {
                        grad[row + j] += hk * dz[j];
                    }
                }
                for (int j = 0; j < n; j++)
                {
                    final double dzj = dz[j];
                    final double[] col = whT[j];
                    for (int k = 0; k < n; k++)
                    {
                        dhNext[k] += dzj * col[k];
                    }
                }
            }
            // memory: m_t = Ā m_{t−1} + B̄ u_t
            double du = 0.0;
            for (int i = 0; i < d; i++)
            {
                du += b[i] * dm[i];
            }
            for (int i = 0; i < inputs; i++)
            {
                grad[ex + i] += du * x[xo + i];
            }
            if (options.hiddenToMemory())
            {
                for (int j = 0; j < n; j++)
                {
                    grad[eh + j] += du * hp[j];
                    dhNext[j] += p[eh + j] * du;
                }
            }
            final double[] mp = m[t - 1];
            java.util.Arrays.fill(dmNext, 0.0);
            for (int i = 0; i < d; i++)
            {
                // Āᵀ·dm as a sum of Ā's rows
                final double dmi = dm[i];
                final double[] row = a[i];
                for (int j = 0; j < d; j++)
                {
                    dmNext[j] += dmi * row[j];
                }
            }
            if (options.memoryToMemory())
            {
                for (int i = 0; i < d; i++)
                {
                    grad[em + i] += du * mp[i];
                    dmNext[i] += p[em + i] * du;
                }
            }
            System.arraycopy(dmNext, 0, dm, 0, d);
            System.arraycopy(dhNext, 0, dh, 0, n);
        }
    }

    public LmuSpec spec()
    {
        return spec;
    }

    public Options options()
    {
        return options;
    }
}
