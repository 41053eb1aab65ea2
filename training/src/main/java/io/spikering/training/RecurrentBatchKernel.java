package io.spikering.training;

import io.spikering.neuron.Activation;

/**
 * Fast float BPTT of {@link RecurrentLmu} over a shard of samples stepped in lockstep: every weight row is loaded once
 * per step and applied to all samples of the shard. Same equations, parameter layout and quantizer voltages as
 * {@link RecurrentLmu}, which is its double-precision reference.
 * <p>
 * With one input, no hidden-to-memory and no memory-to-memory connection (KerasLMU's psMNIST configuration), the
 * memory is a fixed linear filter of the input scaled by the scalar encoder e_x, and {@link #runFixedMemory} is used:
 * with the impulse response H_j = Ā^j B̄ and g_j = W_mᵀ H_j ({@link FixedMemoryResponse}, once per parameter update),
 * the memory term of step t is e_x·Σ_{i&lt;t} x_i·g_{t−1−i}, a sum over the non-zero inputs only, so the memory is never
 * formed; only the recurrent W_hᵀ h_{t−1} and its backward stay in the time loop; backwards, c_j = Σ_i x_i·δz_{i+1+j}
 * (again over the non-zero inputs), δW_m = e_x·Σ_j H_j c_jᵀ, δe_x = ⟨W_m, Σ_j H_j c_jᵀ⟩ and δW_h = Σ h_{t−1} δz_tᵀ.
 * Its products and sparse convolutions are {@link FloatMatrixOps} calls on flat padded tables (Vector API register tiles
 * when the JVM has the module). {@link #runGeneric} handles every option and is the reference the fast path is tested
 * against.
 */
final class RecurrentBatchKernel
{
    /** Steps (forward) or lags (backward) per tile of the sparse convolutions. */
    private static final int TILE = 8;
    private static final int PANEL = FloatMatrixOps.PANEL;
    private static final int LEAD = FloatMatrixOps.LEAD;

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
    private final float[] a;
    private final float[] at;
    private final float[] b;
    private final float[] wmT;
    private final float[] whT;
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
    private final FixedMemoryResponse response;
    private final boolean ownsResponse;
    private final FloatMatrixOps ops;
    private final int width;
    private final int[] inputIndex;
    private final float[] inputValue;
    private final float[] scaledValue;
    private final int[] inputOffset;
    private final float[] lagGrad;
    private final float[] sampleRows;
    private final float[] recurrentRows;
    private final float[] recurrentColumns;
    private final float[] hs;
    private final float[] fs;
    private final float[] dhRows;
    private final float[] memGrad;
    private final float[] hiddenGrad;
    /** Tests: run the fast path's plain loops (per-sample activate, one gather per input tile) instead of its shortcuts. */
    private boolean referenceLoops;

    RecurrentBatchKernel(final RecurrentLmu reference, final int maxSamples)
    {
        this(reference, maxSamples, true, null);
    }

    /** {@code allowFastPath = false} forces {@link #runGeneric} (for tests and comparisons). */
    RecurrentBatchKernel(final RecurrentLmu reference, final int maxSamples, final boolean allowFastPath)
    {
        this(reference, maxSamples, allowFastPath, null);
    }

    /**
     * {@code shared}: the response of the fixed-memory path kept up to date by the caller ({@link FixedMemoryResponse#load}
     * and {@link FixedMemoryResponse#project} with the parameters of every {@link #run}); null = this kernel computes its
     * own at every run.
     */
    RecurrentBatchKernel(final RecurrentLmu reference, final int maxSamples, final boolean allowFastPath, final FixedMemoryResponse shared)
    {
        this(reference, maxSamples, allowFastPath, shared, shared != null ? shared.ops() : FloatMatrixOps.best());
    }

    /** ops: the products of the fixed-memory path (ignored by the generic path; must be shared's when shared != null). */
    RecurrentBatchKernel(final RecurrentLmu reference, final int maxSamples, final boolean allowFastPath, final FixedMemoryResponse shared,
        final FloatMatrixOps ops)
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
        this.a = new float[d * d];
        this.at = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                a[i * d + j] = mm.a()[i][j];
                at[j * d + i] = mm.a()[i][j];
            }
        }
        this.b = mm.b().clone();
        this.fixedMemory = allowFastPath && hasFixedMemory(inputs, options);
        final boolean generic = !fixedMemory;
        this.wmT = generic ? new float[n * d] : null;
        this.whT = generic && options.hiddenRecurrent() ? new float[n * n] : null;
        this.m = generic ? new float[steps + 1][maxSamples * d] : null;
        this.h = generic ? new float[steps + 1][maxSamples * n] : null;
        this.fz = generic ? new float[steps + 1][maxSamples * n] : null;
        this.u = generic ? new float[steps + 1][maxSamples] : null;
        this.ops = ops;
        final int w = fixedMemory ? FloatMatrixOps.paddedWidth(n) : 0;
        this.width = w;
        final int stateSize = fixedMemory ? (steps + 1) * maxSamples * w : 0;
        this.ownsResponse = fixedMemory && shared == null;
        this.response = fixedMemory ? (shared != null ? shared : new FixedMemoryResponse(spec, ops)) : null;
        this.inputIndex = new int[fixedMemory ? steps : 0];
        this.inputValue = new float[fixedMemory ? steps : 0];
        this.scaledValue = new float[fixedMemory ? steps : 0];
        this.inputOffset = new int[fixedMemory ? steps : 0];
        this.lagGrad = new float[fixedMemory ? LEAD + steps * w : 0];
        this.sampleRows = new float[fixedMemory ? LEAD + steps * PANEL : 0];
        final boolean fastRecurrent = fixedMemory && options.hiddenRecurrent();
        this.recurrentRows = new float[fastRecurrent ? LEAD + n * w : 0];
        this.recurrentColumns = new float[fastRecurrent ? LEAD + n * w : 0];
        this.hs = new float[LEAD + stateSize];
        this.fs = new float[LEAD + stateSize];
        this.dhRows = new float[LEAD + maxSamples * w];
        this.memGrad = new float[LEAD + d * w];
        this.hiddenGrad = new float[fastRecurrent ? LEAD + n * w : 0];
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

    /**
     * true: the fixed-memory path runs its reference loops (the per-sample {@link #activate} and plain element-wise loops
     * instead of {@link FloatMatrixOps}' element-wise operations), which its shortcuts must equal bit for bit
     * (RecurrentBatchKernelTest).
     */
    void useReferenceLoops(final boolean reference)
    {
        this.referenceLoops = reference;
    }

    /** One input and no connection into the memory: the memory is a fixed linear filter of the input. */
    static boolean hasFixedMemory(final int inputs, final RecurrentLmu.Options options)
    {
        return inputs == 1 && !options.hiddenToMemory() && !options.memoryToMemory();
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
            addProduct(mp, d, d, at, 0, d, mt, d, samples, d);
            // z into ht first (pre-activation), then the activation in place
            for (int s = 0; s < samples; s++)
            {
                System.arraycopy(p, bias, ht, s * n, n);
            }
            addProduct(mt, d, d, p, wm, n, ht, n, samples, n);
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
                addProduct(hp, n, n, p, wh, n, ht, n, samples, n);
            }
            for (int s = 0; s < samples; s++)
            {
                activate(ht, s * n, ft, s * n, s, dt, t > steps - window, false);
            }
        }
        readout(p, labels, order, from, samples, grad, gradScale, result);
        if (grad != null)
        {
            backward(p, x, order, from, samples, grad);
        }
    }

    /**
     * Fast path for a fixed memory (one input, no hidden-to-memory, no memory-to-memory): the memory term of every step
     * as a sparse causal convolution of the input with g, weight gradients after the time loop; only the recurrent
     * hidden kernel is stepped in time. State rows are (t, s) at offset (t·S + s)·width of one flat array, t = 0 the
     * zero initial state, so the S rows of a step are contiguous and every product is one {@link FloatMatrixOps} call.
     */
    private void runFixedMemory(final float[] p, final float[][] x, final int[] labels, final int[] order, final int from, final int samples,
        final double dt, final long voltageSeed, final int positionBase, final float[] grad, final float gradScale, final double[] result)
    {
        final int n = spec.hidden();
        final int steps = spec.steps();
        final int window = spec.window();
        final int w = width;
        final int stepStride = samples * w;
        java.util.Arrays.fill(hbar, 0.0f);
        if (dt > 0.0)
        {
            for (int s = 0; s < samples; s++)
            {
                ShardKernel.initialVoltages(ShardKernel.voltageSeed(voltageSeed, positionBase + s), volts[s]);
            }
        }
        if (options.hiddenRecurrent())
        {
            for (int k = 0; k < n; k++)
            {
                System.arraycopy(p, wh + k * n, recurrentRows, LEAD + k * w, n);
            }
        }
        if (ownsResponse)
        {
            response.load(p, wm);
            response.project(0, steps);
        }
        final float[] g = response.projected();
        // pre-activations without the recurrent part: b + W_x x_t, then + Σ_{i<t} (e_x·x_i)·g_{t−1−i}
        java.util.Arrays.fill(hs, LEAD, LEAD + stepStride, 0.0f);
        final float encoder = p[ex];
        final boolean inputToHidden = options.inputToHidden();
        for (int t = 1; t <= steps; t++)
        {
            for (int s = 0; s < samples; s++)
            {
                final int o = LEAD + t * stepStride + s * w;
                final float xv = x[order[from + s]][t - 1];
                if (inputToHidden && xv != 0.0f && !referenceLoops)
                {
                    ops.sumScaled(p, bias, xv, p, wx, hs, o, n);
                }
                else if (inputToHidden && xv != 0.0f)
                {
                    for (int j = 0; j < n; j++)
                    {
                        hs[o + j] = p[bias + j] + xv * p[wx + j];
                    }
                }
                else
                {
                    System.arraycopy(p, bias, hs, o, n);
                }
            }
        }
        // the convolution one panel of g at a time for every sample, so the panel (T × PANEL, contiguous: g is
        // panel-major) stays in L2 while the rows stream out, in tiles of 8 steps
        for (int col = 0; col < w; col += PANEL)
        {
            for (int s = 0; s < samples; s++)
            {
                final int nonZero = nonZeros(x[order[from + s]]);
                for (int q = 0; q < nonZero; q++)
                {
                    scaledValue[q] = encoder * inputValue[q];
                    inputOffset[q] = -inputIndex[q] * PANEL;
                }
                int full = 0;
                int reach = 0;
                for (int t0 = 1; t0 <= steps; t0 += TILE)
                {
                    final int rows = Math.min(TILE, steps + 1 - t0);
                    final int c0 = LEAD + (t0 * samples + s) * w + col;
                    while (full < nonZero && inputIndex[full] <= t0 - 1)
                    {
                        full++;
                    }
                    final int shift = LEAD + col * steps + (t0 - 1) * PANEL;
                    if (rows == TILE && !referenceLoops)
                    {
                        // one tile call for the full inputs and those inside the tile
                        reach = Math.max(reach, full);
                        while (reach < nonZero && inputIndex[reach] <= t0 + TILE - 2)
                        {
                            reach++;
                        }
                        ops.gatherTile(scaledValue, inputOffset, inputIndex, 0, full, reach, t0 - 1, true, g, shift, hs, c0, stepStride);
                        continue;
                    }
                    ops.gather(scaledValue, inputOffset, 0, full, g, shift, PANEL, hs, c0, stepStride, rows, PANEL);
                    // inputs inside the tile reach only the rows after them
                    for (int q = full; q < nonZero && inputIndex[q] <= t0 + rows - 2; q++)
                    {
                        final int first = inputIndex[q] - t0 + 1;
                        ops.gather(scaledValue, inputOffset, q, q + 1, g, shift + first * PANEL, PANEL, hs, c0 + first * stepStride, stepStride,
                            rows - first, PANEL);
                    }
                }
            }
        }
        final boolean tanh = spec.activation() == Activation.TANH;
        for (int t = 1; t <= steps; t++)
        {
            if (options.hiddenRecurrent())
            {
                ops.multiplyAdd(hs, LEAD + (t - 1) * stepStride, w, 1, samples, n, recurrentRows, LEAD, w, hs, LEAD + t * stepStride, w, w);
            }
            final int z0 = LEAD + t * stepStride;
            if (tanh)
            {
                ops.tanh(hs, z0, fs, z0, stepStride);
            }
            if (tanh && !(dt > 0.0) && !referenceLoops)
            {
                // activate without the quantizer: h = (float)(double)f(z) = f(z), and the window sum
                System.arraycopy(fs, z0, hs, z0, stepStride);
                if (t > steps - window)
                {
                    for (int s = 0; s < samples; s++)
                    {
                        final int o = z0 + s * w;
                        final int ob = s * n;
                        for (int j = 0; j < n; j++)
                        {
                            hbar[ob + j] += hs[o + j];
                        }
                    }
                }
            }
            else
            {
                for (int s = 0; s < samples; s++)
                {
                    final int o = z0 + s * w;
                    activate(hs, o, fs, o, s, dt, t > steps - window, tanh);
                }
            }
        }
        readout(p, labels, order, from, samples, grad, gradScale, result);
        if (grad != null)
        {
            backwardFixedMemory(p, x, order, from, samples, grad);
        }
    }

    /** The non-zero inputs of xs (one input per step) into inputIndex/inputValue in step order; returns their count. */
    private int nonZeros(final float[] xs)
    {
        final int steps = spec.steps();
        int count = 0;
        for (int i = 0; i < steps; i++)
        {
            if (xs[i] != 0.0f)
            {
                inputIndex[count] = i;
                inputValue[count] = xs[i];
                count++;
            }
        }
        return count;
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
        final int w = width;
        final int stepStride = samples * w;
        final int rows = steps * samples;
        final Activation f = spec.activation();
        final boolean recurrent = options.hiddenRecurrent();
        final boolean inputToHidden = options.inputToHidden();
        if (recurrent)
        {
            for (int k = 0; k < n; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    recurrentColumns[LEAD + j * w + k] = p[wh + k * n + j];
                }
            }
        }
        System.arraycopy(dh, 0, readoutGrad, 0, samples * n);
        java.util.Arrays.fill(dhRows, LEAD, LEAD + stepStride, 0.0f);
        for (int t = steps; t >= 1; t--)
        {
            if (t > steps - window)
            {
                for (int s = 0; s < samples; s++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        dhRows[LEAD + s * w + j] += readoutGrad[s * n + j];
                    }
                }
            }
            // δz over f(z), the whole step at once (padding stays 0 · f' = 0)
            final int z0 = LEAD + t * stepStride;
            if (f == Activation.TANH && !referenceLoops)
            {
                ops.tanhGradient(dhRows, LEAD, fs, z0, stepStride);
            }
            else if (f == Activation.TANH)
            {
                for (int k = 0; k < stepStride; k++)
                {
                    final float y = fs[z0 + k];
                    fs[z0 + k] = dhRows[LEAD + k] * (1.0f - y * y);
                }
            }
            else
            {
                for (int k = 0; k < stepStride; k++)
                {
                    fs[z0 + k] = dhRows[LEAD + k] * derivative(f, fs[z0 + k]);
                }
            }
            java.util.Arrays.fill(dhRows, LEAD, LEAD + stepStride, 0.0f);
            for (int s = 0; s < samples; s++)
            {
                final int o = z0 + s * w;
                final float xv = inputToHidden ? x[order[from + s]][t - 1] : 0.0f;
                if (!referenceLoops)
                {
                    ops.add(fs, o, grad, bias, n);
                    if (xv != 0.0f)
                    {
                        ops.addScaled(xv, fs, o, grad, wx, n);
                    }
                    continue;
                }
                for (int j = 0; j < n; j++)
                {
                    grad[bias + j] += fs[o + j];
                }
                if (xv != 0.0f)
                {
                    for (int j = 0; j < n; j++)
                    {
                        grad[wx + j] += xv * fs[o + j];
                    }
                }
            }
            if (recurrent && t > 1)
            {
                ops.multiplyAdd(fs, LEAD + t * stepStride, w, 1, samples, n, recurrentColumns, LEAD, w, dhRows, LEAD, w, w);
            }
        }
        if (recurrent)
        {
            // δW_h = Σ h_{t−1} δz_tᵀ: h rows 0..T·S−1 against δz rows S..(T+1)·S−1
            java.util.Arrays.fill(hiddenGrad, 0.0f);
            ops.multiplyAdd(hs, LEAD, 1, w, n, rows, fs, LEAD + stepStride, w, hiddenGrad, LEAD, w, w);
            for (int k = 0; k < n; k++)
            {
                if (!referenceLoops)
                {
                    ops.add(hiddenGrad, LEAD + k * w, grad, wh + k * n, n);
                    continue;
                }
                for (int j = 0; j < n; j++)
                {
                    grad[wh + k * n + j] += hiddenGrad[LEAD + k * w + j];
                }
            }
        }
        // c_j = Σ_i x_i·δz_{i+1+j} (lag j = 0..T−1, summed over the shard; panel-major like g) in tiles of 8 lags, one panel
        // at a time for every sample so the sample's δz slice and the panel of c stay in L2; then M = Σ_j H_j c_jᵀ
        java.util.Arrays.fill(lagGrad, 0.0f);
        for (int col = 0; col < w; col += PANEL)
        {
            final int base = LEAD + col * steps;
            for (int s = 0; s < samples; s++)
            {
                final int nonZero = nonZeros(x[order[from + s]]);
                if (nonZero == 0)
                {
                    continue;
                }
                for (int t = 1; t <= steps; t++)
                {
                    System.arraycopy(fs, LEAD + t * stepStride + s * w + col, sampleRows, LEAD + (t - 1) * PANEL, PANEL);
                }
                for (int q = 0; q < nonZero; q++)
                {
                    inputOffset[q] = inputIndex[q] * PANEL;
                }
                int full = nonZero;
                int reach = nonZero;
                for (int j0 = 0; j0 < steps; j0 += TILE)
                {
                    final int lags = Math.min(TILE, steps - j0);
                    while (full > 0 && inputIndex[full - 1] > steps - j0 - lags)
                    {
                        full--;
                    }
                    final int shift = j0 * PANEL;
                    if (lags == TILE && !referenceLoops)
                    {
                        // one tile call for the full inputs and the later ones that reach only the first lags
                        while (reach > full && inputIndex[reach - 1] > steps - 1 - j0)
                        {
                            reach--;
                        }
                        ops.gatherTile(inputValue, inputOffset, inputIndex, 0, full, reach, steps - j0, false, sampleRows, LEAD + shift, lagGrad, base + shift,
                            PANEL);
                        continue;
                    }
                    ops.gather(inputValue, inputOffset, 0, full, sampleRows, LEAD + shift, PANEL, lagGrad, base + shift, PANEL, lags, PANEL);
                    // later inputs reach only the first lags of the tile
                    for (int q = full; q < nonZero && inputIndex[q] <= steps - 1 - j0; q++)
                    {
                        ops.gather(inputValue, inputOffset, q, q + 1, sampleRows, LEAD + shift, PANEL, lagGrad, base + shift, PANEL, steps - j0 - inputIndex[q],
                            PANEL);
                    }
                }
            }
        }
        java.util.Arrays.fill(memGrad, 0.0f);
        for (int col = 0; col < w; col += PANEL)
        {
            ops.multiplyAdd(response.impulse(), 0, 1, d, d, steps, lagGrad, LEAD + col * steps, PANEL, memGrad, LEAD + col, w, PANEL);
        }
        final float encoder = p[ex];
        double encoderGrad = 0.0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < n; j++)
            {
                final float m = memGrad[LEAD + i * w + j];
                grad[wm + i * n + j] += encoder * m;
                encoderGrad += (double)p[wm + i * n + j] * m;
            }
        }
        grad[ex] += (float)encoderGrad;
    }

    /**
     * h = f(z) or its quantized spikes (in place over z), f(z) into fOut, window sum into hbar; sample s's row of n from
     * the offsets (tanh: {@link FloatTanh}, already in fOut if tanhDone).
     */
    private void activate(final float[] z, final int zOff, final float[] fOut, final int fOff, final int s, final double dt,
        final boolean inWindow, final boolean tanhDone)
    {
        final int n = spec.hidden();
        final Activation f = spec.activation();
        final double[] vs = volts[s];
        final int o = s * n;
        final boolean tanh = f == Activation.TANH;
        if (tanh && !tanhDone)
        {
            FloatTanh.apply(z, zOff, fOut, fOff, n);
        }
        for (int j = 0; j < n; j++)
        {
            final double r = tanh ? fOut[fOff + j] : f.apply(z[zOff + j]);
            fOut[fOff + j] = (float)r;
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
            z[zOff + j] = out;
            if (inWindow)
            {
                hbar[o + j] += out;
            }
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
                wmT[j * d + i] = p[wm + i * n + j];
            }
        }
        if (options.hiddenRecurrent())
        {
            for (int k = 0; k < n; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    whT[j * n + k] = p[wh + k * n + j];
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
            addOuterProducts(mt, d, d, dz, n, samples, n, grad, wm);
            addProduct(dz, n, n, wmT, 0, d, dm, d, samples, d);
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
                addOuterProducts(hp, n, n, dz, n, samples, n, grad, wh);
                addProduct(dz, n, n, whT, 0, n, dhNext, n, samples, n);
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
            addProduct(dm, d, d, a, 0, d, dmNext, d, samples, d);
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

    /**
     * c[s·cStride + j] += Σ_i x[s·xStride + i] · w[wOff + i·wStride + j] for s &lt; samples, j &lt; width, i &lt; rows: the
     * generic path's products, terms taken in ascending i with one rounding per multiply and per add.
     */
    private static void addProduct(final float[] x, final int xStride, final int rows, final float[] w, final int wOff, final int wStride,
        final float[] c, final int cStride, final int samples, final int width)
    {
        for (int i = 0; i < rows; i++)
        {
            final int row = wOff + i * wStride;
            for (int s = 0; s < samples; s++)
            {
                final float v = x[s * xStride + i];
                final int o = s * cStride;
                for (int j = 0; j < width; j++)
                {
                    c[o + j] += v * w[row + j];
                }
            }
        }
    }

    /** g[gOff + i·width + j] += Σ_s x[s·xStride + i] · dz[s·dzStride + j]: the weight gradient of {@link #addProduct}. */
    private static void addOuterProducts(final float[] x, final int xStride, final int rows, final float[] dz, final int dzStride,
        final int samples, final int width, final float[] g, final int gOff)
    {
        for (int i = 0; i < rows; i++)
        {
            final int row = gOff + i * width;
            for (int s = 0; s < samples; s++)
            {
                final float v = x[s * xStride + i];
                final int o = s * dzStride;
                for (int j = 0; j < width; j++)
                {
                    g[row + j] += v * dz[o + j];
                }
            }
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
