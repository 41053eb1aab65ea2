package io.spikering.training;

import io.spikering.neuron.FdlibmTanh;

import io.spikering.neuron.Activation;

/**
 * Forward and backward pass of the parallel LMU over one shard of samples, with one thread's scratch buffers.
 *
 * <p>Per sample and window step k (rows r = sample·K + k): z = W_mᵀ m + W_x x + b (float, accumulated in that
 * order), then either h = f(z) (non-spiking) or the sigma-delta quantizer h = n/dt with v += dt·f(z), n = ⌊v⌋,
 * v −= n, v starting U[0,1) at the first window step (spiking). Readout: logits = W_outᵀ (Σ_k h_k / K) + b_out.
 * Backward (spiking-aware): ∂h/∂z := f'(z), nothing flows through v.
 *
 * <p>With the memory output quantized (dt_m &gt; 0), each sample's memory features x (standardized) first pass a
 * signed sigma-delta quantizer with identity activation over the window, v += dt_m·x, n = ⌊v⌋, v −= n, v starting
 * U[0,1) at the first window step (its own seed, {@link #memoryVoltageSeed}); the hidden layer sees x̂ = n/dt_m in place
 * of x. The memory has no trainable parameters, so the kernel gradient simply uses x̂.
 *
 * <p>With an activity penalty λ &gt; 0 ({@link #activityPenalty}), a training sample's loss gains λ · mean |h| over its window
 * steps and hidden units (h = f(z), or count/dt when spiking), whose straight-through gradient is λ/(K·n) · sign(h) · f'(z).
 *
 * <p>With dropout p &gt; 0 ({@link #dropout}), a training sample's window mean h̄ is multiplied unit by unit by a mask of 0
 * and 1/(1 − p) ({@link #dropoutMask}, seeded per sample position) before the readout, and its gradient by the same mask.
 *
 * <p>The two GEMMs are {@link WindowProducts} (Vector API register tiles when the module is present, else plain loops,
 * with the same bits); everything is allocated once.
 */
final class ShardKernel
{
    static final int COUNT_RANGE = 1 << 12;

    private final LmuSpec spec;
    private final int maxSamples;
    private final float[][] z;
    private final float[][] fz;
    private final float[][] hbar;
    private final int[] rowOffset;
    private final double[] logits;
    private final float[] dl;
    private final float[] dh;
    /** dh/K of the sample (hoisted out of the window loop). */
    private final float[] dhw;
    private final double[] voltage;
    /** f(z) of one row in double, as {@link Activation#apply} gives it. */
    private final double[] act;
    private final float[] quantizedMemory;
    private final int[] memoryOffset;
    private final double[] memoryVoltage;
    private final WindowProducts products;
    private float[] memory;
    /** Loihi 2's delta encoder instead of the paper's rule (hidden / memory quantizer) and its threshold in counts. */
    private boolean hiddenDelta;
    private double hiddenThreshold;
    private boolean memoryDelta;
    private double memoryThreshold;
    private double activityPenalty;
    private double dropout;
    private final float[] keep;
    /** h per row and unit (f(z), or count/dt when spiking), for the activity penalty. */
    private final float[][] hiddenOut;

    ShardKernel(final LmuSpec spec, final int maxSamples)
    {
        this(spec, maxSamples, WindowProducts.best());
    }

    /**
     * Quantizes with Loihi 2's delta encoder (per neuron R = 0 at the window's first step, then e = dt·f − R,
     * n = |e| ≥ threshold ? rint(e) : 0, R += n, output R/dt: what the summing receivers hold) where asked.
     */
    void encoding(final boolean hiddenDelta, final double hiddenThreshold, final boolean memoryDelta, final double memoryThreshold)
    {
        this.hiddenDelta = hiddenDelta;
        this.hiddenThreshold = hiddenThreshold;
        this.memoryDelta = memoryDelta;
        this.memoryThreshold = memoryThreshold;
    }

    /** λ ≥ 0 of the hidden layer's activity penalty, applied where a gradient is asked for (training, not evaluation). */
    void activityPenalty(final double lambda)
    {
        this.activityPenalty = lambda;
    }

    /** Dropout probability p on the readout's input, applied where a gradient is asked for (training, not evaluation). */
    void dropout(final double p)
    {
        this.dropout = p;
    }

    ShardKernel(final LmuSpec spec, final int maxSamples, final WindowProducts products)
    {
        this.spec = spec;
        this.products = products;
        this.maxSamples = maxSamples;
        final int rows = maxSamples * spec.window();
        this.z = new float[rows][spec.hidden()];
        this.fz = new float[rows][spec.hidden()];
        this.hiddenOut = new float[rows][spec.hidden()];
        this.keep = new float[spec.hidden()];
        this.hbar = new float[maxSamples][spec.hidden()];
        this.rowOffset = new int[rows];
        this.logits = new double[spec.classes()];
        this.dl = new float[spec.classes()];
        this.dh = new float[spec.hidden()];
        this.dhw = new float[spec.hidden()];
        this.voltage = new double[spec.hidden()];
        this.act = new double[spec.hidden()];
        this.quantizedMemory = new float[rows * spec.order()];
        this.memoryOffset = new int[rows];
        this.memoryVoltage = new double[spec.order()];
    }

    /**
     * Runs samples {@code order[from..to)} of {@code data}.
     *
     * @param dt           quantizer time-step, or 0 for the non-spiking activation.
     * @param memoryDt     the memory-output quantizer's time-step, or 0 for the memory features as they are.
     * @param voltageSeed  per-sample initial voltages come from {@link #voltageSeed(long, int)} of this and
     *                     {@code positionBase + (s − from)}.
     * @param grad         gradient accumulator (added to), or null for forward only.
     * @param gradScale    factor on ∂loss/∂logits (1/batch size for a batch-mean loss).
     * @param counts       if non-null, tally of spike counts: counts[n + COUNT_RANGE] += 1 per neuron-step.
     * @param result       result[0] += summed cross-entropy, result[1] += correct predictions.
     */
    void run(final float[] params, final MemoryFeatures data, final int[] order, final int from, final int to,
        final double dt, final double memoryDt, final long voltageSeed, final int positionBase, final float[] grad, final float gradScale,
        final long[] counts, final double[] result)
    {
        final int samples = to - from;
        if (samples > maxSamples)
        {
            throw new IllegalArgumentException("shard of " + samples + " samples exceeds the kernel capacity " + maxSamples);
        }
        final int window = spec.window();
        final int d = spec.order();
        final int rows = samples * window;
        for (int s = 0; s < samples; s++)
        {
            final int sample = order[from + s];
            for (int k = 0; k < window; k++)
            {
                rowOffset[s * window + k] = (sample * window + k) * d;
            }
        }
        if (memoryDt > 0.0)
        {
            quantizeMemory(data.memory(), samples, memoryDt, voltageSeed, positionBase);
        }
        else
        {
            memory = data.memory();
            System.arraycopy(rowOffset, 0, memoryOffset, 0, rows);
        }
        hiddenPreactivation(params, data, rows);
        final Activation f = spec.activation();
        final int n = spec.hidden();
        final float invWindow = 1.0f / window;
        final boolean penalty = grad != null && activityPenalty > 0.0;
        for (int s = 0; s < samples; s++)
        {
            final float[] hb = hbar[s];
            java.util.Arrays.fill(hb, 0.0f);
            if (dt > 0.0 && hiddenDelta)
            {
                java.util.Arrays.fill(voltage, 0.0); // what the receivers hold
                final double scale = 1.0 / dt;
                for (int k = 0; k < window; k++)
                {
                    final float[] zr = z[s * window + k];
                    final float[] fr = fz[s * window + k];
                    activate(f, zr, act, n);
                    for (int j = 0; j < n; j++)
                    {
                        final double r = act[j];
                        fr[j] = (float)r;
                        final double e = dt * r - voltage[j];
                        final double c = Math.abs(e) >= hiddenThreshold ? Math.rint(e) : 0.0;
                        voltage[j] += c;
                        hb[j] += (float)(voltage[j] * scale);
                        if (counts != null)
                        {
                            tally(counts, c);
                        }
                    }
                }
            }
            else if (dt > 0.0)
            {
                initialVoltages(voltageSeed(voltageSeed, positionBase + s), voltage);
                final double scale = 1.0 / dt;
                for (int k = 0; k < window; k++)
                {
                    final float[] zr = z[s * window + k];
                    final float[] fr = fz[s * window + k];
                    activate(f, zr, act, n);
                    for (int j = 0; j < n; j++)
                    {
                        final double r = act[j];
                        fr[j] = (float)r;
                        final double v = voltage[j] + dt * r;
                        double c = Math.floor(v);
                        double left = v - c;
                        if (left >= 1.0)
                        {
                            // v a hair below an integer: v − ⌊v⌋ rounds to 1.0; emit that spike now (as SigmaDeltaQuantizer)
                            left -= 1.0;
                            c += 1.0;
                        }
                        voltage[j] = left;
                        hb[j] += (float)(c * scale);
                        hiddenOut[s * window + k][j] = (float)(c * scale);
                        if (counts != null)
                        {
                            tally(counts, c);
                        }
                    }
                }
            }
            else
            {
                for (int k = 0; k < window; k++)
                {
                    final float[] zr = z[s * window + k];
                    final float[] fr = fz[s * window + k];
                    activate(f, zr, act, n);
                    // three simple loops that C2 vectorises (the same values and adds as one loop)
                    for (int j = 0; j < n; j++)
                    {
                        fr[j] = (float)act[j];
                    }
                    for (int j = 0; j < n; j++)
                    {
                        hb[j] += fr[j];
                    }
                    System.arraycopy(fr, 0, hiddenOut[s * window + k], 0, n);
                }
            }
            for (int j = 0; j < n; j++)
            {
                hb[j] *= invWindow;
            }
            final boolean drop = grad != null && dropout > 0.0;
            if (drop)
            {
                dropoutMask(dropoutSeed(voltageSeed, positionBase + s), dropout, keep);
                for (int j = 0; j < n; j++)
                {
                    hb[j] *= keep[j];
                }
            }
            final int label = data.label(order[from + s]);
            final double loss = readout(params, hb, label, result);
            result[0] += loss + (penalty ? activityPenalty * meanAbsActivity(s) : 0.0);
            if (grad != null)
            {
                backwardReadout(params, hb, gradScale, grad);
                if (drop)
                {
                    for (int j = 0; j < n; j++)
                    {
                        dh[j] *= keep[j];
                    }
                }
                final float penaltyGrad = penalty ? (float)(activityPenalty * gradScale / ((double)window * n)) : 0.0f;
                for (int j = 0; j < n; j++)
                {
                    dhw[j] = dh[j] * invWindow;
                }
                for (int k = 0; k < window; k++)
                {
                    final float[] zr = z[s * window + k];
                    final float[] fr = fz[s * window + k];
                    final float[] hr = hiddenOut[s * window + k];
                    if (f == Activation.TANH)
                    {
                        tanhBackward(dhw, penaltyGrad, hr, fr, zr, n);
                        continue;
                    }
                    for (int j = 0; j < n; j++)
                    {
                        zr[j] = (dhw[j] + penaltyGrad * Math.signum(hr[j])) * derivativeFromOutput(f, fr[j], zr[j]);
                    }
                }
            }
        }
        if (grad != null)
        {
            kernelGradient(data, rows, grad);
        }
    }

    /** Mean |h| over sample s's window steps and hidden units. */
    private double meanAbsActivity(final int s)
    {
        final int window = spec.window();
        final int n = spec.hidden();
        double sum = 0.0;
        for (int k = 0; k < window; k++)
        {
            final float[] hr = hiddenOut[s * window + k];
            for (int j = 0; j < n; j++)
            {
                sum += Math.abs(hr[j]);
            }
        }
        return sum / ((double)window * n);
    }

    /** x̂ = n/dt_m of every sample's window rows into {@link #quantizedMemory}; points {@link #memory} at it. */
    private void quantizeMemory(final float[] features, final int samples, final double memoryDt, final long voltageSeed, final int positionBase)
    {
        final int window = spec.window();
        final int d = spec.order();
        final double scale = 1.0 / memoryDt;
        for (int s = 0; s < samples; s++)
        {
            if (memoryDelta)
            {
                java.util.Arrays.fill(memoryVoltage, 0.0);
                for (int k = 0; k < window; k++)
                {
                    final int r = s * window + k;
                    final int src = rowOffset[r];
                    final int dst = r * d;
                    for (int i = 0; i < d; i++)
                    {
                        final double e = memoryDt * features[src + i] - memoryVoltage[i];
                        memoryVoltage[i] += Math.abs(e) >= memoryThreshold ? Math.rint(e) : 0.0;
                        quantizedMemory[dst + i] = (float)(memoryVoltage[i] * scale);
                    }
                    memoryOffset[r] = dst;
                }
                continue;
            }
            initialVoltages(memoryVoltageSeed(voltageSeed, positionBase + s), memoryVoltage);
            for (int k = 0; k < window; k++)
            {
                final int r = s * window + k;
                final int src = rowOffset[r];
                final int dst = r * d;
                for (int i = 0; i < d; i++)
                {
                    final double v = memoryVoltage[i] + memoryDt * features[src + i];
                    double c = Math.floor(v);
                    double left = v - c;
                    if (left >= 1.0)
                    {
                        left -= 1.0;
                        c += 1.0;
                    }
                    memoryVoltage[i] = left;
                    quantizedMemory[dst + i] = (float)(c * scale);
                }
                memoryOffset[r] = dst;
            }
        }
        memory = quantizedMemory;
    }

    /** Seed of the memory quantizer's initial voltages for the sample at {@code position} (a stream apart from the hidden one). */
    static long memoryVoltageSeed(final long base, final int position)
    {
        return mix(voltageSeed(base, position) ^ 0xD1B54A32D192ED03L);
    }

    /** Seed of the dropout mask of the sample at {@code position} (a stream apart from the voltages). */
    static long dropoutSeed(final long base, final int position)
    {
        return mix(voltageSeed(base, position) ^ 0x4F1BBCDCBFA53E0BL);
    }

    /** keep[j] = 1/(1 − p) if U_j ≥ p else 0, U_j = U[0,1) from SplitMix64 of (seed, j) as {@link #initialVoltages}. */
    static void dropoutMask(final long seed, final double p, final float[] keep)
    {
        final float scale = (float)(1.0 / (1.0 - p));
        for (int j = 0; j < keep.length; j++)
        {
            keep[j] = (mix(seed + (j + 1) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53 >= p ? scale : 0.0f;
        }
    }

    /** Seed of the sample at {@code position} of a batch (or of a data set) whose voltages derive from {@code base}. */
    static long voltageSeed(final long base, final int position)
    {
        return mix(base * 0x9E3779B97F4A7C15L + position);
    }

    /** v_j = U[0,1) from SplitMix64 of (seed, j): 53 random bits of mix(seed + (j+1)·γ). */
    static void initialVoltages(final long seed, final double[] v)
    {
        for (int j = 0; j < v.length; j++)
        {
            v[j] = (mix(seed + (j + 1) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
        }
    }

    static long mix(final long z)
    {
        long x = z;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    private static void tally(final long[] counts, final double c)
    {
        final int idx = (int)Math.max(-COUNT_RANGE, Math.min(COUNT_RANGE, c)) + COUNT_RANGE;
        counts[idx]++;
    }

    /** Whether tanh runs as {@link VectorFdlibmTanh} (the JVM has the Vector API module) or {@link FdlibmTanh}: the same bits. */
    private static final boolean VECTOR_ROWS = FloatMatrixOps.vectorModulePresent();

    /**
     * out[j] = f(z[j]) for j &lt; n with {@link Activation#apply}'s bits; tanh without its JNI call ({@link FdlibmTanh},
     * eight lanes at a time with the Vector API).
     */
    static void activate(final Activation f, final float[] z, final double[] out, final int n)
    {
        if (f == Activation.TANH)
        {
            if (VECTOR_ROWS)
            {
                VectorFdlibmTanh.apply(z, out, n);
                return;
            }
            for (int j = 0; j < n; j++)
            {
                out[j] = FdlibmTanh.tanh(z[j]);
            }
            return;
        }
        for (int j = 0; j < n; j++)
        {
            out[j] = f.apply(z[j]);
        }
    }

    /**
     * {@link #tanhBackwardRow} in a form C2 vectorises when p = +0 (no activity penalty): then p·signum(h) = p·h for every
     * finite h (±0 with h's sign, NaN for NaN; the rows' h are f(z) or count/dt, never infinite), and the loop has no
     * Math.signum or activation switch in it. The same bits ({@code FdlibmTanhTest}).
     */
    static void tanhBackward(final float[] a, final float p, final float[] h, final float[] f, final float[] dz, final int n)
    {
        if (Float.floatToRawIntBits(p) != 0)
        {
            tanhBackwardRow(a, p, h, f, dz, n);
            return;
        }
        for (int j = 0; j < n; j++)
        {
            dz[j] = (a[j] + p * h[j]) * (1.0f - f[j] * f[j]);
        }
    }

    /** dz[j] = (a[j] + p·signum(h[j]))·f'(z) with tanh' = 1 − f² from the output f: the backward step of one window row. */
    static void tanhBackwardRow(final float[] a, final float p, final float[] h, final float[] f, final float[] dz, final int n)
    {
        for (int j = 0; j < n; j++)
        {
            dz[j] = (a[j] + p * Math.signum(h[j])) * derivativeFromOutput(Activation.TANH, f[j], dz[j]);
        }
    }

    private static float derivativeFromOutput(final Activation f, final float out, final float z)
    {
        switch (f)
        {
            case TANH:
                return 1.0f - out * out;
            case RELU:
                return z > 0.0f ? 1.0f : 0.0f;
            case LINEAR:
                return 1.0f;
            case SIGMOID:
                return out * (1.0f - out);
            default:
                return (float)f.derivative(z);
        }
    }

    /** z[r] = Σ_i m_r[i]·W_m[i] + x_r·W_x + b. */
    private void hiddenPreactivation(final float[] params, final MemoryFeatures data, final int rows)
    {
        final float[] in = data.input();
        final int n = spec.hidden();
        final int d = spec.order();
        final int wx = d * n;
        final int bias = wx + n;
        products.preactivation(memory, memoryOffset, rows, d, params, n, z);
        for (int row = 0; row < rows; row++)
        {
            final float x = in[rowOffset[row] / d];
            final float[] zr = z[row];
            for (int j = 0; j < n; j++)
            {
                zr[j] = zr[j] + x * params[wx + j] + params[bias + j];
            }
        }
    }

    /** Returns the cross-entropy; leaves dL/dlogits (unscaled softmax − onehot) in dl and counts a correct prediction. */
    private double readout(final float[] params, final float[] hb, final int label, final double[] result)
    {
        final int n = spec.hidden();
        final int classes = spec.classes();
        final int wo = spec.order() * n + 2 * n;
        final int bo = wo + n * classes;
        for (int c = 0; c < classes; c++)
        {
            logits[c] = params[bo + c];
        }
        for (int j = 0; j < n; j++)
        {
            final double h = hb[j];
            final int row = wo + j * classes;
            for (int c = 0; c < classes; c++)
            {
                logits[c] += h * params[row + c];
            }
        }
        int best = 0;
        double max = logits[0];
        for (int c = 1; c < classes; c++)
        {
            if (logits[c] > max)
            {
                max = logits[c];
                best = c;
            }
        }
        if (best == label)
        {
            result[1] += 1.0;
        }
        double sum = 0.0;
        for (int c = 0; c < classes; c++)
        {
            sum += Math.exp(logits[c] - max);
        }
        for (int c = 0; c < classes; c++)
        {
            dl[c] = (float)(Math.exp(logits[c] - max) / sum - (c == label ? 1.0 : 0.0));
        }
        return Math.log(sum) + max - logits[label];
    }

    /** Readout gradients (added to grad) and dh = W_out · dlogits, with dlogits = dl·gradScale. */
    private void backwardReadout(final float[] params, final float[] hb, final float gradScale, final float[] grad)
    {
        final int n = spec.hidden();
        final int classes = spec.classes();
        final int wo = spec.order() * n + 2 * n;
        final int bo = wo + n * classes;
        for (int c = 0; c < classes; c++)
        {
            dl[c] *= gradScale;
            grad[bo + c] += dl[c];
        }
        for (int j = 0; j < n; j++)
        {
            final float h = hb[j];
            final int row = wo + j * classes;
            float acc = 0.0f;
            for (int c = 0; c < classes; c++)
            {
                grad[row + c] += h * dl[c];
                acc += params[row + c] * dl[c];
            }
            dh[j] = acc;
        }
    }

    /** grad W_m[i] += Σ_r m_r[i]·dz_r, grad W_x += Σ_r x_r·dz_r, grad b += Σ_r dz_r (dz held in z). */
    private void kernelGradient(final MemoryFeatures data, final int rows, final float[] grad)
    {
        final float[] in = data.input();
        final int n = spec.hidden();
        final int d = spec.order();
        final int wx = d * n;
        final int bias = wx + n;
        products.gradient(memory, memoryOffset, rows, d, z, n, grad);
        for (int r = 0; r < rows; r++)
        {
            final float x = in[rowOffset[r] / d];
            final float[] dr = z[r];
            // two loops, not one: with two stores into grad per iteration C2 does not vectorise (the same adds per element)
            for (int j = 0; j < n; j++)
            {
                grad[wx + j] += x * dr[j];
            }
            for (int j = 0; j < n; j++)
            {
                grad[bias + j] += dr[j];
            }
        }
    }
}
