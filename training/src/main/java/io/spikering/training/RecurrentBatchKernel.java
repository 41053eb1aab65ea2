package io.spikering.training;

import io.spikering.neuron.Activation;

/**
 * Fast float BPTT of {@link RecurrentLmu} over a shard of samples stepped in lockstep: every weight row is loaded once
 * per step and applied to all samples of the shard (axpy form over contiguous rows, auto-vectorised). Same equations,
 * parameter layout and quantizer voltages as {@link RecurrentLmu}, which is its double-precision reference.
 * <p>
 * With one input, no hidden-to-memory and no memory-to-memory connection (KerasLMU's psMNIST configuration), the
 * memory is a fixed linear filter of the input scaled by the scalar encoder e_x, and {@link #runFixedMemory} is used:
 * the memory of the raw input m̃ is computed once for the whole shard, the input-to-hidden part of every step is one
 * GEMM (T·S × d)·(d × N) before the time loop, only the recurrent W_hᵀ h_{t−1} and its backward stay in the time loop,
 * and the weight gradients are GEMMs after it (W_m: e_x·Σ m̃ δzᵀ; e_x: ⟨W_m, Σ m̃ δzᵀ⟩; no backward into the fixed
 * memory). {@link #runGeneric} handles every option and is the reference the fast path is tested against.
 */
final class RecurrentBatchKernel
{
    private final LmuSpec spec;
    private final RecurrentLmu.Options options;
    private final int inputs;
    private final int maxSamples;
    private final int ex;
    private final int eh;
    private final int em;
    private final int wm;
    private final int wx;
    private final int wh;
    private final int bias;
    private final int wo;
    private final int bo;
    private final float[][] a;
    private final float[][] at;
    private final float[] b;
    private final float[][] wmT;
    private final float[][] whT;
    private final float[][] m;
    private final float[][] h;
    private final float[][] fz;
    private final float[][] u;
    private final float[] hbar;
    private final float[] dh;
    private final float[] dhNext;
    private final float[] dm;
    private final float[] dmNext;
    private final float[] dz;
    private final float[] du;
    private final double[] logits;
    private final double[][] volts;
    private final float[] readoutGrad;
    private final boolean fixedMemory;
    private final float[] atFlat;
    private final float[] whTFlat;
    private final float[] mem;
    private final float[] hs;
    private final float[] fs;
    private final float[] memGrad;

    RecurrentBatchKernel(final RecurrentLmu reference, final int maxSamples)
    {
        this(reference, maxSamples, true);
    }

    /** {@code allowFastPath = false} forces {@link #runGeneric} (for tests and comparisons). */
    RecurrentBatchKernel(final RecurrentLmu reference, final int maxSamples, final boolean allowFastPath)
    {
        this.spec = reference.spec();
        this.options = reference.options();
        this.inputs = reference.inputs();
        this.maxSamples = maxSamples;
        final int[] o = reference.offsets();
        ex = o[0];
        eh = o[1];
        em = o[2];
        wm = o[3];
        wx = o[4];
        wh = o[5];
        bias = o[6];
        wo = o[7];
        bo = o[8];
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final MemoryMatrices mm = MemoryMatrices.of(spec);
        this.a = new float[d][];
        this.at = new float[d][d];
        for (int i = 0; i < d; i++)
        {
            a[i] = mm.a()[i].clone();
            for (int j = 0; j < d; j++)
            {
                at[j][i] = mm.a()[i][j];
            }
        }
        this.b = mm.b().clone();
        this.fixedMemory = allowFastPath && inputs == 1 && !options.hiddenToMemory() && !options.memoryToMemory();
        final boolean generic = !fixedMemory;
        this.wmT = generic ? new float[n][d] : null;
        this.whT = options.hiddenRecurrent() ? new float[n][n] : null;
        this.m = generic ? new float[steps + 1][maxSamples * d] : null;
        this.h = generic ? new float[steps + 1][maxSamples * n] : null;
        this.fz = generic ? new float[steps + 1][maxSamples * n] : null;
        this.u = generic ? new float[steps + 1][maxSamples] : null;
        this.atFlat = fixedMemory ? new float[d * d] : null;
        if (fixedMemory)
        {
            for (int j = 0; j < d; j++)
            {
                System.arraycopy(at[j], 0, atFlat, j * d, d);
            }
        }
        this.whTFlat = fixedMemory && options.hiddenRecurrent() ? new float[n * n] : null;
        this.mem = fixedMemory ? new float[(steps + 1) * maxSamples * d] : null;
        this.hs = fixedMemory ? new float[(steps + 1) * maxSamples * n] : null;
        this.fs = fixedMemory ? new float[(steps + 1) * maxSamples * n] : null;
        this.memGrad = fixedMemory ? new float[d * n] : null;
        this.hbar = new float[maxSamples * n];
        this.dh = new float[maxSamples * n];
        this.dhNext = new float[maxSamples * n];
        this.dm = new float[maxSamples * d];
        this.dmNext = new float[maxSamples * d];
        this.dz = new float[maxSamples * n];
        this.du = new float[maxSamples];
        this.logits = new double[spec.classes()];
        this.volts = new double[maxSamples][n];
        this.readoutGrad = new float[maxSamples * n];
    }

    /**
     * Forward and (if grad != null) backward over samples order[from..to) of x; adds gradScale·∂loss/∂p to grad and
     * returns {summed loss, correct} in result. Sample s's voltages: RecurrentLmu's, seeded with
     * voltageSeed(voltageSeed, positionBase + s − from).
     */
    void run(final float[] p, final float[][] x, final int[] labels, final int[] order, final int from, final int to, final double dt,
        final long voltageSeed, final int positionBase, final float[] grad, final float gradScale, final double[] result)
    {
        final int samples = to - from;
        if (samples > maxSamples)
        {
            throw new IllegalArgumentException("shard of " + samples + " exceeds the kernel capacity " + maxSamples);
        }
        if (fixedMemory)
        {
            runFixedMemory(p, x, labels, order, from, samples, dt, voltageSeed, positionBase, grad, gradScale, result);
        }
        else
        {
            runGeneric(p, x, labels, order, from, samples, dt, voltageSeed, positionBase, grad, gradScale, result);
        }
    }

    /** True when {@link #run} takes the fixed-memory fast path. */
    boolean usesFixedMemoryPath()
    {
        return fixedMemory;
    }

    /** Every option: memory recurrence, its backward and all products inside the time loop. */
    private void runGeneric(final float[] p, final float[][] x, final int[] labels, final int[] order, final int from, final int samples,
        final double dt, final long voltageSeed, final int positionBase, final float[] grad, final float gradScale, final double[] result)
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final int window = spec.window();
        java.util.Arrays.fill(m[0], 0.0f);
        java.util.Arrays.fill(h[0], 0.0f);
        java.util.Arrays.fill(hbar, 0.0f);
        final double[][] volts = this.volts;
        if (dt > 0.0)
        {
            for (int s = 0; s < samples; s++)
            {
                ShardKernel.initialVoltages(ShardKernel.voltageSeed(voltageSeed, positionBase + s), volts[s]);
            }
        }
        for (int t = 1; t <= steps; t++)
        {
            final float[] mt = m[t];
            final float[] mp = m[t - 1];
            final float[] hp = h[t - 1];
            final float[] ht = h[t];
            final float[] ft = fz[t];
            final float[] ut = u[t];
            for (int s = 0; s < samples; s++)
            {
                final float[] xs = x[order[from + s]];
                float acc = 0.0f;
                for (int i = 0; i < inputs; i++)
                {
                    acc += p[ex + i] * xs[(t - 1) * inputs + i];
                }
                if (options.hiddenToMemory())
                {
                    for (int j = 0; j < n; j++)
                    {
                        acc += p[eh + j] * hp[s * n + j];
                    }
                }
                if (options.memoryToMemory())
                {
                    for (int i = 0; i < d; i++)
                    {
                        acc += p[em + i] * mp[s * d + i];
                    }
                }
                ut[s] = acc;
                final int o = s * d;
                for (int i = 0; i < d; i++)
                {
                    mt[o + i] = b[i] * acc;
                }
            }
            for (int j = 0; j < d; j++)
            {
                final float[] col = at[j];
                for (int s = 0; s < samples; s++)
                {
                    final float c = mp[s * d + j];
                    final int o = s * d;
                    for (int i = 0; i < d; i++)
                    {
                        mt[o + i] += c * col[i];
                    }
                }
            }
            // z into ht first (pre-activation), then the activation in place
            for (int s = 0; s < samples; s++)
            {
                System.arraycopy(p, bias, ht, s * n, n);
            }
            for (int i = 0; i < d; i++)
            {
                final int row = wm + i * n;
                for (int s = 0; s < samples; s++)
                {
                    final float c = mt[s * d + i];
                    final int o = s * n;
                    for (int j = 0; j < n; j++)
                    {
                        ht[o + j] += c * p[row + j];
                    }
                }
            }
            if (options.inputToHidden())
            {
                for (int i = 0; i < inputs; i++)
                {
                    final int row = wx + i * n;
                    for (int s = 0; s < samples; s++)
                    {
                        final float c = x[order[from + s]][(t - 1) * inputs + i];
                        final int o = s * n;
                        for (int j = 0; j < n; j++)
                        {
                            ht[o + j] += c * p[row + j];
                        }
                    }
                }
            }
            if (options.hiddenRecurrent())
            {
                for (int k = 0; k < n; k++)
                {
                    final int row = wh + k * n;
                    for (int s = 0; s < samples; s++)
                    {
                        final float c = hp[s * n + k];
                        final int o = s * n;
                        for (int j = 0; j < n; j++)
                        {
                            ht[o + j] += c * p[row + j];
                        }
                    }
                }
            }
            activate(ht, 0, ft, 0, samples, dt, t > steps - window);
        }
        readout(p, labels, order, from, samples, grad, gradScale, result);
        if (grad != null)
        {
            backward(p, x, order, from, samples, grad);
        }
    }

    /**
     * Fast path for a fixed memory (one input, no hidden-to-memory, no memory-to-memory): memory, input-to-hidden
     * products and weight gradients as whole-shard GEMMs; only the recurrent hidden kernel is stepped in time.
     * Rows of the flat state arrays are (t, s) at t·S + s with t = 0 the zero initial state.
     */
    private void runFixedMemory(final float[] p, final float[][] x, final int[] labels, final int[] order, final int from, final int samples,
        final double dt, final long voltageSeed, final int positionBase, final float[] grad, final float gradScale, final double[] result)
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final int window = spec.window();
        final int rows = steps * samples;
        java.util.Arrays.fill(hbar, 0.0f);
        if (dt > 0.0)
        {
            for (int s = 0; s < samples; s++)
            {
                ShardKernel.initialVoltages(ShardKernel.voltageSeed(voltageSeed, positionBase + s), volts[s]);
            }
        }
        fixedMemory(x, order, from, samples);
        // pre-activations of every step without the recurrent part: b + W_x x_t + e_x·W_mᵀ m̃_t
        java.util.Arrays.fill(hs, 0, (rows + samples) * n, 0.0f);
        multiplyAdd(mem, samples * d, d, rows, p, wm, n, hs, samples * n);
        final float encoder = p[ex];
        final boolean inputToHidden = options.inputToHidden();
        for (int t = 1; t <= steps; t++)
        {
            for (int s = 0; s < samples; s++)
            {
                final float xv = x[order[from + s]][t - 1];
                final int o = (t * samples + s) * n;
                for (int j = 0; j < n; j++)
                {
                    hs[o + j] = p[bias + j] + encoder * hs[o + j];
                }
                if (inputToHidden)
                {
                    axpy(xv, p, wx, hs, o, n);
                }
            }
        }
        for (int t = 1; t <= steps; t++)
        {
            if (options.hiddenRecurrent())
            {
                multiplyAdd(hs, (t - 1) * samples * n, n, samples, p, wh, n, hs, t * samples * n);
            }
            activate(hs, t * samples * n, fs, t * samples * n, samples, dt, t > steps - window);
        }
        readout(p, labels, order, from, samples, grad, gradScale, result);
        if (grad != null)
        {
            backwardFixedMemory(p, x, order, from, samples, grad);
        }
    }

    /** m̃ of every step for the raw input (unit encoder): m̃_t = Ā m̃_{t−1} + B̄ x_t, rows t·S + s of mem. */
    private void fixedMemory(final float[][] x, final int[] order, final int from, final int samples)
    {
        final int d = spec.order();
        final int steps = spec.steps();
        java.util.Arrays.fill(mem, 0, samples * d, 0.0f);
        for (int t = 1; t <= steps; t++)
        {
            for (int s = 0; s < samples; s++)
            {
                final float xv = x[order[from + s]][t - 1];
                final int o = (t * samples + s) * d;
                for (int i = 0; i < d; i++)
                {
                    mem[o + i] = b[i] * xv;
                }
            }
            multiplyAdd(mem, (t - 1) * samples * d, d, samples, atFlat, 0, d, mem, t * samples * d);
        }
    }

    /**
     * BPTT of the fast path: in the time loop only δz_t = δh_t ⊙ f'(z_t) (stored over f(z)) and δh_{t−1} = W_h δz_t;
     * every weight gradient afterwards as a sum of outer products over all T·S rows.
     */
    private void backwardFixedMemory(final float[] p, final float[][] x, final int[] order, final int from, final int samples, final float[] grad)
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final int window = spec.window();
        final int rows = steps * samples;
        final int width = samples * n;
        final Activation f = spec.activation();
        final boolean recurrent = options.hiddenRecurrent();
        if (recurrent)
        {
            for (int k = 0; k < n; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    whTFlat[j * n + k] = p[wh + k * n + j];
                }
            }
        }
        System.arraycopy(dh, 0, readoutGrad, 0, width);
        java.util.Arrays.fill(dh, 0, width, 0.0f);
        for (int t = steps; t >= 1; t--)
        {
            if (t > steps - window)
            {
                for (int k = 0; k < width; k++)
                {
                    dh[k] += readoutGrad[k];
                }
            }
            final int o = t * width;
            for (int k = 0; k < width; k++)
            {
                fs[o + k] = dh[k] * derivative(f, fs[o + k]);
            }
            java.util.Arrays.fill(dh, 0, width, 0.0f);
            if (recurrent && t > 1)
            {
                multiplyAdd(fs, o, n, samples, whTFlat, 0, n, dh, 0);
            }
        }
        for (int r = samples; r < rows + samples; r++)
        {
            final int o = r * n;
            for (int j = 0; j < n; j++)
            {
                grad[bias + j] += fs[o + j];
            }
        }
        if (recurrent)
        {
            // δW_h = Σ h_{t−1} δz_tᵀ: h rows 0..T·S−1 against δz rows S..(T+1)·S−1
            addTransposedProduct(hs, 0, n, fs, samples * n, n, rows, grad, wh);
        }
        java.util.Arrays.fill(memGrad, 0.0f);
        addTransposedProduct(mem, samples * d, d, fs, samples * n, n, rows, memGrad, 0);
        final float encoder = p[ex];
        double encoderGrad = 0.0;
        for (int k = 0; k < d * n; k++)
        {
            grad[wm + k] += encoder * memGrad[k];
            encoderGrad += (double)p[wm + k] * memGrad[k];
        }
        grad[ex] += (float)encoderGrad;
        if (options.inputToHidden())
        {
            for (int t = 1; t <= steps; t++)
            {
                for (int s = 0; s < samples; s++)
                {
                    final float xv = x[order[from + s]][t - 1];
                    final int o = (t * samples + s) * n;
                    for (int j = 0; j < n; j++)
                    {
                        grad[wx + j] += xv * fs[o + j];
                    }
                }
            }
        }
    }

    /** h = f(z) or its quantized spikes (in place over z), f(z) into fOut, window sum into hbar; rows of n from the offsets. */
    private void activate(final float[] z, final int zOff, final float[] fOut, final int fOff, final int samples, final double dt,
        final boolean inWindow)
    {
        final int n = spec.hidden();
        final Activation f = spec.activation();
        final double[][] volts = this.volts;
        for (int s = 0; s < samples; s++)
        {
            final int o = s * n;
            final double[] vs = volts[s];
            for (int j = 0; j < n; j++)
            {
                final double r = f.apply(z[zOff + o + j]);
                fOut[fOff + o + j] = (float)r;
                final float out;
                if (dt > 0.0)
                {
                    double v = vs[j] + dt * r;
                    double c = Math.floor(v);
                    v -= c;
                    if (v >= 1.0)
                    {
                        v -= 1.0;
                        c += 1.0;
                    }
                    vs[j] = v;
                    out = (float)(c / dt);
                }
                else
                {
                    out = (float)r;
                }
                z[zOff + o + j] = out;
                if (inWindow)
                {
                    hbar[o + j] += out;
                }
            }
        }
    }

    /**
     * C[r][·] += Σ_q A[r][q]·W[q][·] for r &lt; rows: A rows of k floats from aOff, W rows of n floats from wOff, C rows of
     * n floats from cOff (A and C may be disjoint parts of one array). Blocks of 4 rows × 4 q, contiguous inner loop.
     */
    static void multiplyAdd(final float[] a, final int aOff, final int k, final int rows, final float[] w, final int wOff, final int n,
        final float[] c, final int cOff)
    {
        final int k4 = k & ~3;
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            final int a0 = aOff + r * k;
            final int a1 = a0 + k;
            final int a2 = a1 + k;
            final int a3 = a2 + k;
            final int c0 = cOff + r * n;
            final int c1 = c0 + n;
            final int c2 = c1 + n;
            final int c3 = c2 + n;
            for (int q = 0; q < k4; q += 4)
            {
                final float x00 = a[a0 + q], x01 = a[a0 + q + 1], x02 = a[a0 + q + 2], x03 = a[a0 + q + 3];
                final float x10 = a[a1 + q], x11 = a[a1 + q + 1], x12 = a[a1 + q + 2], x13 = a[a1 + q + 3];
                final float x20 = a[a2 + q], x21 = a[a2 + q + 1], x22 = a[a2 + q + 2], x23 = a[a2 + q + 3];
                final float x30 = a[a3 + q], x31 = a[a3 + q + 1], x32 = a[a3 + q + 2], x33 = a[a3 + q + 3];
                final int w0 = wOff + q * n;
                final int w1 = w0 + n;
                final int w2 = w1 + n;
                final int w3 = w2 + n;
                for (int j = 0; j < n; j++)
                {
                    final float v0 = w[w0 + j];
                    final float v1 = w[w1 + j];
                    final float v2 = w[w2 + j];
                    final float v3 = w[w3 + j];
                    c[c0 + j] += x00 * v0 + x01 * v1 + x02 * v2 + x03 * v3;
                    c[c1 + j] += x10 * v0 + x11 * v1 + x12 * v2 + x13 * v3;
                    c[c2 + j] += x20 * v0 + x21 * v1 + x22 * v2 + x23 * v3;
                    c[c3 + j] += x30 * v0 + x31 * v1 + x32 * v2 + x33 * v3;
                }
            }
            for (int q = k4; q < k; q++)
            {
                final int w0 = wOff + q * n;
                for (int rr = 0; rr < 4; rr++)
                {
                    axpy(a[aOff + (r + rr) * k + q], w, w0, c, cOff + (r + rr) * n, n);
                }
            }
        }
        for (; r < rows; r++)
        {
            final int a0 = aOff + r * k;
            final int c0 = cOff + r * n;
            for (int q = 0; q < k4; q += 4)
            {
                final float x0 = a[a0 + q], x1 = a[a0 + q + 1], x2 = a[a0 + q + 2], x3 = a[a0 + q + 3];
                final int w0 = wOff + q * n;
                final int w1 = w0 + n;
                final int w2 = w1 + n;
                final int w3 = w2 + n;
                for (int j = 0; j < n; j++)
                {
                    c[c0 + j] += x0 * w[w0 + j] + x1 * w[w1 + j] + x2 * w[w2 + j] + x3 * w[w3 + j];
                }
            }
            for (int q = k4; q < k; q++)
            {
                axpy(a[a0 + q], w, wOff + q * n, c, c0, n);
            }
        }
    }

    /**
     * C[q][·] += Σ_r A[r][q]·B[r][·] for r &lt; rows (a sum of outer products): A rows of k floats from aOff, B rows of n
     * floats from bOff, C rows of n floats from cOff. Blocks of 4 rows, contiguous inner loop.
     */
    static void addTransposedProduct(final float[] a, final int aOff, final int k, final float[] bm, final int bOff, final int n, final int rows,
        final float[] c, final int cOff)
    {
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            final int a0 = aOff + r * k;
            final int b0 = bOff + r * n;
            final int b1 = b0 + n;
            final int b2 = b1 + n;
            final int b3 = b2 + n;
            for (int q = 0; q < k; q++)
            {
                final float x0 = a[a0 + q];
                final float x1 = a[a0 + k + q];
                final float x2 = a[a0 + 2 * k + q];
                final float x3 = a[a0 + 3 * k + q];
                final int c0 = cOff + q * n;
                for (int j = 0; j < n; j++)
                {
                    c[c0 + j] += x0 * bm[b0 + j] + x1 * bm[b1 + j] + x2 * bm[b2 + j] + x3 * bm[b3 + j];
                }
            }
        }
        for (; r < rows; r++)
        {
            final int a0 = aOff + r * k;
            final int b0 = bOff + r * n;
            for (int q = 0; q < k; q++)
            {
                axpy(a[a0 + q], bm, b0, c, cOff + q * n, n);
            }
        }
    }

    private static void axpy(final float alpha, final float[] x, final int xOff, final float[] y, final int yOff, final int n)
    {
        for (int j = 0; j < n; j++)
        {
            y[yOff + j] += alpha * x[xOff + j];
        }
    }

    /** Logits of the window mean hbar, loss and correct count into result, and (if grad != null) the readout gradient and ∂loss/∂hbar·(1/K) into dh. */
    private void readout(final float[] p, final int[] labels, final int[] order, final int from, final int samples, final float[] grad,
        final float gradScale, final double[] result)
    {
        final int n = spec.hidden();
        final int classes = spec.classes();
        final int window = spec.window();
        java.util.Arrays.fill(dh, 0.0f);
        for (int s = 0; s < samples; s++)
        {
            final int label = labels[order[from + s]];
            final int o = s * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++)
            {
                double acc = p[bo + c];
                for (int j = 0; j < n; j++)
                {
                    acc += (double)hbar[o + j] / window * p[wo + j * classes + c];
                }
                logits[c] = acc;
                max = Math.max(max, acc);
            }
            int best = 0;
            double sum = 0.0;
            for (int c = 0; c < classes; c++)
            {
                sum += Math.exp(logits[c] - max);
                if (logits[c] > logits[best])
                {
                    best = c;
                }
            }
            result[0] += Math.log(sum) + max - logits[label];
            result[1] += best == label ? 1.0 : 0.0;
            if (grad != null)
            {
                for (int c = 0; c < classes; c++)
                {
                    final float dl = (float)(gradScale * (Math.exp(logits[c] - max) / sum - (c == label ? 1.0 : 0.0)));
                    grad[bo + c] += dl;
                    for (int j = 0; j < n; j++)
                    {
                        grad[wo + j * classes + c] += hbar[o + j] / window * dl;
                        dh[o + j] += p[wo + j * classes + c] * dl / window;
                    }
                }
            }
        }
    }

    private void backward(final float[] p, final float[][] x, final int[] order, final int from, final int samples, final float[] grad)
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final int window = spec.window();
        final Activation f = spec.activation();
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
        System.arraycopy(dh, 0, readoutGrad, 0, samples * n);
        java.util.Arrays.fill(dh, 0.0f);
        java.util.Arrays.fill(dm, 0.0f);
        for (int t = steps; t >= 1; t--)
        {
            final float[] mt = m[t];
            final float[] mp = m[t - 1];
            final float[] hp = h[t - 1];
            final float[] ft = fz[t];
            if (t > steps - window)
            {
                for (int k = 0; k < samples * n; k++)
                {
                    dh[k] += readoutGrad[k];
                }
            }
            for (int k = 0; k < samples * n; k++)
            {
                dz[k] = dh[k] * derivative(f, ft[k]);
            }
            for (int s = 0; s < samples; s++)
            {
                final int o = s * n;
                for (int j = 0; j < n; j++)
                {
                    grad[bias + j] += dz[o + j];
                }
            }
            for (int i = 0; i < d; i++)
            {
                final int row = wm + i * n;
                for (int s = 0; s < samples; s++)
                {
                    final float c = mt[s * d + i];
                    final int o = s * n;
                    for (int j = 0; j < n; j++)
                    {
                        grad[row + j] += c * dz[o + j];
                    }
                }
            }
            for (int j = 0; j < n; j++)
            {
                final float[] col = wmT[j];
                for (int s = 0; s < samples; s++)
                {
                    final float c = dz[s * n + j];
                    final int o = s * d;
                    for (int i = 0; i < d; i++)
                    {
                        dm[o + i] += c * col[i];
                    }
                }
            }
            if (options.inputToHidden())
            {
                for (int i = 0; i < inputs; i++)
                {
                    final int row = wx + i * n;
                    for (int s = 0; s < samples; s++)
                    {
                        final float c = x[order[from + s]][(t - 1) * inputs + i];
                        final int o = s * n;
                        for (int j = 0; j < n; j++)
                        {
                            grad[row + j] += c * dz[o + j];
                        }
                    }
                }
            }
            java.util.Arrays.fill(dhNext, 0, samples * n, 0.0f);
            if (options.hiddenRecurrent())
            {
                for (int k = 0; k < n; k++)
                {
                    final int row = wh + k * n;
                    for (int s = 0; s < samples; s++)
                    {
                        final float c = hp[s * n + k];
                        final int o = s * n;
                        for (int j = 0; j < n; j++)
                        {
                            grad[row + j] += c * dz[o + j];
                        }
                    }
                }
                for (int j = 0; j < n; j++)
                {
                    final float[] col = whT[j];
                    for (int s = 0; s < samples; s++)
                    {
                        final float c = dz[s * n + j];
                        final int o = s * n;
                        for (int k = 0; k < n; k++)
                        {
                            dhNext[o + k] += c * col[k];
                        }
                    }
                }
            }
            for (int s = 0; s < samples; s++)
            {
                float acc = 0.0f;
                final int o = s * d;
                for (int i = 0; i < d; i++)
                {
                    acc += b[i] * dm[o + i];
                }
                du[s] = acc;
                final float[] xs = x[order[from + s]];
                for (int i = 0; i < inputs; i++)
                {
                    grad[ex + i] += acc * xs[(t - 1) * inputs + i];
                }
                if (options.hiddenToMemory())
                {
                    final int oh = s * n;
                    for (int j = 0; j < n; j++)
                    {
                        grad[eh + j] += acc * hp[oh + j];
                        dhNext[oh + j] += p[eh + j] * acc;
                    }
                }
            }
            java.util.Arrays.fill(dmNext, 0, samples * d, 0.0f);
            for (int i = 0; i < d; i++)
            {
                final float[] row = a[i];
                for (int s = 0; s < samples; s++)
                {
                    final float c = dm[s * d + i];
                    final int o = s * d;
                    for (int j = 0; j < d; j++)
                    {
                        dmNext[o + j] += c * row[j];
                    }
                }
            }
            if (options.memoryToMemory())
            {
                for (int s = 0; s < samples; s++)
                {
                    final int o = s * d;
                    for (int i = 0; i < d; i++)
                    {
                        grad[em + i] += du[s] * mp[o + i];
                        dmNext[o + i] += p[em + i] * du[s];
                    }
                }
            }
            System.arraycopy(dmNext, 0, dm, 0, samples * d);
            System.arraycopy(dhNext, 0, dh, 0, samples * n);
        }
    }

    private static float derivative(final Activation f, final float out)
    {
        switch (f)
        {
            case TANH:
                return 1.0f - out * out;
            case RELU:
                return out > 0.0f ? 1.0f : 0.0f;
            case SIGMOID:
                return out * (1.0f - out);
            default:
                return 1.0f;
        }
    }
}
