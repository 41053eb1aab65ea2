package io.spikering.training;

import io.spikering.neuron.Activation;
import io.spikering.neuron.SigmaDeltaQuantizer;

/**
 * Slow, obvious double-precision forward/backward of the parallel LMU for gradient checks. The quantizer enters as
 * a residual q − f(z) per (sample, step, unit), held fixed: h = f(z) + residual. With the residual taken from a
 * spiking forward pass, the analytic gradient of this function is exactly the straight-through gradient.
 * With a memory-output quantizer, the memory features are replaced by their quantized values x̂ = n/dt_m (from
 * neuron-models' {@link SigmaDeltaQuantizer} with identity activation, voltages seeded as the kernel's), computed once:
 * they do not depend on any parameter, so the loss stays a smooth function of the parameters.
 */
final class ReferenceLmu
{
    private final LmuSpec spec;
    private final MemoryFeatures data;
    private final int[] samples;
    private final double[] memory;

    ReferenceLmu(final LmuSpec spec, final MemoryFeatures data, final int[] samples)
    {
        this(spec, data, samples, 0.0, 0L);
    }

    /** @param memoryDt memory-output quantizer dt (0 = memory as it is); voltages from {@code voltageSeed} and the sample's position. */
    ReferenceLmu(final LmuSpec spec, final MemoryFeatures data, final int[] samples, final double memoryDt, final long voltageSeed)
    {
        this.spec = spec;
        this.data = data;
        this.samples = samples;
        final int d = spec.order();
        final int window = spec.window();
        memory = new double[data.memory().length];
        for (int i = 0; i < memory.length; i++)
        {
            memory[i] = data.memory()[i];
        }
        if (memoryDt > 0.0)
        {
            final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(d, Activation.LINEAR, memoryDt, 1.0, 0L);
            final double[] x = new double[d];
            final int[] counts = new int[d];
            for (int s = 0; s < samples.length; s++)
            {
                final double[] v = new double[d];
                ShardKernel.initialVoltages(ShardKernel.memoryVoltageSeed(voltageSeed, s), v);
                q.setVoltages(v);
                for (int k = 0; k < window; k++)
                {
                    final int off = (samples[s] * window + k) * d;
                    System.arraycopy(memory, off, x, 0, d);
                    q.step(x, counts);
                    for (int i = 0; i < d; i++)
                    {
                        memory[off + i] = counts[i] / memoryDt;
                    }
                }
            }
        }
    }

    /** The (possibly quantized) memory feature i of a row, as the hidden layer sees it. */
    double memory(final int row, final int i)
    {
        return memory[row * spec.order() + i];
    }

    /** Residuals q − f(z) of the spiking forward pass at dt (voltages as in the kernel), or zeros for dt = 0. */
    double[][][] residuals(final double[] p, final double dt, final long voltageSeed)
    {
        final int n = spec.hidden();
        final double[][][] res = new double[samples.length][spec.window()][n];
        if (dt <= 0.0)
        {
            return res;
        }
        for (int s = 0; s < samples.length; s++)
        {
            final double[] v = new double[n];
            ShardKernel.initialVoltages(ShardKernel.voltageSeed(voltageSeed, s), v);
            for (int k = 0; k < spec.window(); k++)
            {
                final double[] z = preactivation(p, samples[s], k);
                for (int j = 0; j < n; j++)
                {
                    final double r = spec.activation().apply(z[j]);
                    v[j] += dt * r;
                    double c = Math.floor(v[j]);
                    v[j] -= c;
                    if (v[j] >= 1.0)
                    {
                        v[j] -= 1.0;
                        c += 1.0;
                    }
                    res[s][k][j] = c / dt - r;
                }
            }
        }
        return res;
    }

    double[] preactivation(final double[] p, final int sample, final int k)
    {
        final int n = spec.hidden();
        final int d = spec.order();
        final double[] z = new double[n];
        for (int j = 0; j < n; j++)
        {
            double acc = 0.0;
            for (int i = 0; i < d; i++)
            {
                acc += memory((sample * spec.window() + k), i) * p[i * n + j];
            }
            acc += data.input()[sample * spec.window() + k] * p[d * n + j];
            z[j] = acc + p[d * n + n + j];
        }
        return z;
    }

    /** Mean cross-entropy over the samples; fills grad (if non-null) with its exact gradient. */
    double loss(final double[] p, final double[][][] residual, final double[] grad)
    {
        return loss(p, residual, 0.0, grad);
    }

    /**
     * Mean over the samples of cross-entropy + λ · mean |h| over window steps and units (h = f(z) + residual: the
     * quantized output when the residual comes from a spiking pass); fills grad (if non-null) with its exact gradient.
     */
    double loss(final double[] p, final double[][][] residual, final double activityPenalty, final double[] grad)
    {
        return loss(p, residual, activityPenalty, null, grad);
    }

    /** As above with sample s's window mean multiplied unit by unit by {@code keep[s]} (a dropout mask; null = none). */
    double loss(final double[] p, final double[][][] residual, final double activityPenalty, final double[][] keep, final double[] grad)
    {
        final int n = spec.hidden();
        final int d = spec.order();
        final int classes = spec.classes();
        final int window = spec.window();
        final Activation f = spec.activation();
        final int wo = d * n + 2 * n;
        final int bo = wo + n * classes;
        if (grad != null)
        {
            java.util.Arrays.fill(grad, 0.0);
        }
        double total = 0.0;
        for (int s = 0; s < samples.length; s++)
        {
            final double[][] z = new double[window][];
            final double[] hbar = new double[n];
            for (int k = 0; k < window; k++)
            {
                z[k] = preactivation(p, samples[s], k);
                for (int j = 0; j < n; j++)
                {
                    hbar[j] += (f.apply(z[k][j]) + residual[s][k][j]) / window;
                }
            }
            if (keep != null)
            {
                for (int j = 0; j < n; j++)
                {
                    hbar[j] *= keep[s][j];
                }
            }
            final double[] logits = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++)
            {
                logits[c] = p[bo + c];
                for (int j = 0; j < n; j++)
                {
                    logits[c] += hbar[j] * p[wo + j * classes + c];
                }
                max = Math.max(max, logits[c]);
            }
            double sum = 0.0;
            for (int c = 0; c < classes; c++)
            {
                sum += Math.exp(logits[c] - max);
            }
            final int label = data.label(samples[s]);
            total += Math.log(sum) + max - logits[label];
            for (int k = 0; k < window; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    total += activityPenalty * Math.abs(f.apply(z[k][j]) + residual[s][k][j]) / (window * n);
                }
            }
            if (grad != null)
            {
                final double[] dl = new double[classes];
                for (int c = 0; c < classes; c++)
                {
                    dl[c] = (Math.exp(logits[c] - max) / sum - (c == label ? 1 : 0)) / samples.length;
                    grad[bo + c] += dl[c];
                }
                final double[] dh = new double[n];
                for (int j = 0; j < n; j++)
                {
                    for (int c = 0; c < classes; c++)
                    {
                        grad[wo + j * classes + c] += hbar[j] * dl[c];
                        dh[j] += p[wo + j * classes + c] * dl[c];
                    }
                    dh[j] *= keep != null ? keep[s][j] : 1.0;
                }
                for (int k = 0; k < window; k++)
                {
                    final int row = samples[s] * window + k;
                    for (int j = 0; j < n; j++)
                    {
                        final double h = f.apply(z[k][j]) + residual[s][k][j];
                        final double dz = (dh[j] / window + activityPenalty * Math.signum(h) / (window * n * samples.length))
                            * f.derivative(z[k][j]);
                        for (int i = 0; i < d; i++)
                        {
                            grad[i * n + j] += memory(row, i) * dz;
                        }
                        grad[d * n + j] += data.input()[row] * dz;
                        grad[d * n + n + j] += dz;
                    }
                }
            }
        }
        return total / samples.length;
    }
}
