package io.spikering.training;

import io.spikering.neuron.Activation;

/**
 * Fast float BPTT of {@link RecurrentLmu} over a shard of samples stepped in lockstep: every weight row is loaded once
 * per step and applied to all samples of the shard (axpy form over contiguous rows, auto-vectorised). Same equations,
 * parameter layout and quantizer voltages as {@link RecurrentLmu}, which is its double-precision reference.
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

    RecurrentBatchKernel(final RecurrentLmu reference, final int maxSamples)
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
        this.wmT = new float[n][d];
        this.whT = options.hiddenRecurrent() ? new float[n][n] : null;
        this.m = new float[steps + 1][maxSamples * d];
        this.h = new float[steps + 1][maxSamples * n];
        this.fz = new float[steps + 1][maxSamples * n];
        this.u = new float[steps + 1][maxSamples];
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
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final int classes = spec.classes();
        final int window = spec.window();
        final Activation f = spec.activation();
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
            final boolean inWindow = t > steps - window;
            for (int s = 0; s < samples; s++)
            {
                final int o = s * n;
                for (int j = 0; j < n; j++)
                {
                    final double r = f.apply(ht[o + j]);
                    ft[o + j] = (float)r;
                    if (dt > 0.0)
                    {
                        double v = volts[s][j] + dt * r;
                        double c = Math.floor(v);
                        v -= c;
                        if (v >= 1.0)
                        {
                            v -= 1.0;
                            c += 1.0;
                        }
                        volts[s][j] = v;
                        ht[o + j] = (float)(c / dt);
                    }
                    else
                    {
                        ht[o + j] = (float)r;
                    }
                    if (inWindow)
                    {
                        hbar[o + j] += ht[o + j];
                    }
                }
            }
        }
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
        if (grad != null)
        {
            backward(p, x, order, from, samples, grad);
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
