package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import io.spikering.neuron.Activation;
import io.spikering.neuron.SigmaDeltaQuantizer;

/**
 * Double-precision reference forward pass of a model file ({@link LmuFile}) for one sample, step by step, written
 * for obviousness, not speed. The event engine is cross-checked against it. Arithmetic, in this exact order:
 * <ol>
 * <li>memory, every step t = 0..T−1 (m starts at 0): u = e·p_t; for each i: acc = 0; for j = 0..d−1 ascending
 *     acc += Ā[i][j]·m[j]; acc += B̄[i]·u; m'[i] = acc; then m = m'.</li>
 * <li>hidden, steps t ≥ T−K: for each unit j: acc = 0; for i = 0..d−1 ascending acc += m[i]·W_m[i][j];
 *     acc += p_t·W_x[j]; acc += b[j]; z[j] = acc.</li>
 * <li>quantized: the sigma-delta rule v += dt·f(z), n = ⌊v⌋, v −= n (voltages given at step T−K), counts n;
 *     not quantized: h = f(z).</li>
 * <li>readout: s[j] = Σ_k n_k[j] over the window (exact integers); h̄[j] = s[j]·(amplitude/dt)/K (quantized) or
 *     h̄[j] = (Σ_k f(z_k[j]))/K; logits[c]: acc = 0; for j ascending acc += h̄[j]·W_out[j][c]; acc += b_out[c];
 *     the prediction is the first index of the largest logit.</li>
 * </ol>
 * With a memory quantizer in the file ({@link LmuFile#memoryQuantized()}), step 2 becomes, at steps t ≥ T−K:
 * <ol>
 * <li>quantizer input for each i: acc = 0; acc += m[i]·gain[i]; acc += offset[i]; x[i] = acc;</li>
 * <li>quantized: counts c from {@code SigmaDeltaQuantizer} (identity activation, dt_m, amplitude 1, memory voltages given
 *     at step T−K), then x̂[i] = c[i]·(1/dt_m), and only memory dimensions with c[i] ≠ 0 contribute; not quantized:
 *     x̂ = x, and dimensions with x[i] = 0 do not contribute (an engine event is a non-zero value);</li>
 * <li>hidden: for each unit j: acc = 0; for i ascending acc += x̂[i]·W_m[i][j]; acc += p_t·W_x[j]; acc += b[j].</li>
 * </ol>
 * All weights are the float32 tensors of the file, widened to double.
 */
public final class ReferenceForward
{
    private ReferenceForward()
    {
    }

    /**
     * Result of one sample.
     *
     * @param counts       counts[k][j] of hidden unit j at window step k (null when not quantized).
     * @param memoryCounts memoryCounts[k][i] of memory quantizer i at window step k (null without a quantized memory).
     * @param logits     the readout.
     * @param prediction argmax of the logits.
     */
    public record Result(int[][] counts, int[][] memoryCounts, double[] logits, int prediction)
    {
    }

    /**
     * Runs one sample.
     *
     * @param model            the exported model.
     * @param pixels           the input sequence (length T).
     * @param dt               quantizer dt (ignored when {@code quantized} is false).
     * @param quantized        use the sigma-delta quantizer on the hidden units (else the plain activation).
     * @param initialVoltages  voltages of the hidden units at step T−K, each in [0, 1) (ignored when not quantized).
     */
    public static Result run(final LmuFile model, final float[] pixels, final double dt, final boolean quantized, final double[] initialVoltages)
    {
        return run(model, pixels, dt, quantized, initialVoltages, model.memoryDt(), null);
    }

    /**
     * Runs one sample of a model that may quantize its memory output.
     *
     * @param memoryDt        memory quantizer dt (used when the model has one and {@code quantized}).
     * @param memoryVoltages  its voltages at step T−K, each in [0, 1) (required when the model has one and {@code quantized}).
     */
    public static Result run(final LmuFile model, final float[] pixels, final double dt, final boolean quantized, final double[] initialVoltages,
        final double memoryDt, final double[] memoryVoltages)
    {
        final LmuSpec spec = LmuExport.spec(model);
        final int d = spec.order();
        final int n = spec.hidden();
        final int classes = spec.classes();
        final int steps = spec.steps();
        final int window = spec.window();
        if (pixels.length != steps)
        {
            throw new IllegalArgumentException("sample has " + pixels.length + " steps, the model expects " + steps);
        }
        final java.util.Map<String, float[]> t = model.tensors();
        final float[] a = t.get(LmuFile.MEMORY_A);
        final float[] b = t.get(LmuFile.MEMORY_B);
        final double e = t.get(LmuFile.INPUT_ENCODER)[0];
        final float[] wm = t.get(LmuFile.HIDDEN_MEMORY_KERNEL);
        final float[] wx = t.get(LmuFile.HIDDEN_INPUT_KERNEL);
        final float[] bias = t.get(LmuFile.HIDDEN_BIAS);
        final float[] wo = t.get(LmuFile.READOUT_KERNEL);
        final float[] bo = t.get(LmuFile.READOUT_BIAS);
        final boolean memoryQuantizer = model.memoryQuantized();
        final float[] gain = memoryQuantizer ? t.get(LmuFile.MEMORY_QUANTIZER_GAIN) : null;
        final float[] offset = memoryQuantizer ? t.get(LmuFile.MEMORY_QUANTIZER_OFFSET) : null;
        final SigmaDeltaQuantizer memoryQ = memoryQuantizer && quantized ? new SigmaDeltaQuantizer(d, Activation.LINEAR, memoryDt, 1.0, 0L) : null;
        if (memoryQ != null)
        {
            if (memoryVoltages == null)
            {
                throw new IllegalArgumentException("the model quantizes its memory: give the memory quantizer's initial voltages");
            }
            memoryQ.setVoltages(memoryVoltages);
        }
        final double[] x = new double[d];
        final int[][] memoryCounts = memoryQ != null ? new int[window][d] : null;
        final Activation f = spec.activation();
        final SigmaDeltaQuantizer quantizer = quantized ? new SigmaDeltaQuantizer(n, f, dt, model.amplitude(), 0L) : null;
        if (quantized)
        {
            quantizer.setVoltages(initialVoltages);
        }
        double[] m = new double[d];
        double[] next = new double[d];
        final double[] z = new double[n];
        final double[] sum = new double[n];
        final int[][] counts = quantized ? new int[window][n] : null;
        for (int step = 0; step < steps; step++)
        {
            final double u = e * pixels[step];
            for (int i = 0; i < d; i++)
            {
                double acc = 0.0;
                for (int j = 0; j < d; j++)
                {
                    acc += (double)a[i * d + j] * m[j];
                }
                acc += (double)b[i] * u;
                next[i] = acc;
            }
            final double[] swap = m;
            m = next;
            next = swap;
            final int k = step - spec.firstHiddenStep();
            if (k < 0)
            {
                continue;
            }
            final double[] hiddenInput;
            if (memoryQuantizer)
            {
                for (int i = 0; i < d; i++)
                {
                    double acc = 0.0;
                    acc += m[i] * gain[i];
                    acc += offset[i];
                    x[i] = acc;
                }
                if (memoryQ != null)
                {
                    memoryQ.step(x, memoryCounts[k]);
                    final double scale = 1.0 / memoryDt;
                    for (int i = 0; i < d; i++)
                    {
                        x[i] = memoryCounts[k][i] * scale;
                    }
                }
                hiddenInput = x;
            }
            else
            {
                hiddenInput = m;
            }
            for (int j = 0; j < n; j++)
            {
                double acc = 0.0;
                for (int i = 0; i < d; i++)
                {
                    if (!memoryQuantizer || hiddenInput[i] != 0.0)
                    {
                        acc += hiddenInput[i] * wm[i * n + j];
                    }
                }
                acc += (double)pixels[step] * wx[j];
                acc += bias[j];
                z[j] = acc;
            }
            if (quantized)
            {
                quantizer.step(z, counts[k]);
                for (int j = 0; j < n; j++)
                {
                    sum[j] += counts[k][j];
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    sum[j] += f.apply(z[j]);
                }
            }
        }
        final double scale = quantized ? model.amplitude() / dt : 1.0;
        final double[] logits = new double[classes];
        int best = 0;
        for (int c = 0; c < classes; c++)
        {
            double acc = 0.0;
            for (int j = 0; j < n; j++)
            {
                acc += sum[j] * scale / window * wo[j * classes + c];
            }
            acc += bo[c];
            logits[c] = acc;
            if (acc > logits[best])
            {
                best = c;
            }
        }
        return new Result(counts, memoryCounts, logits, best);
    }
}
