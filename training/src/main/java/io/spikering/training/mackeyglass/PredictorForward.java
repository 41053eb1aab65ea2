package io.spikering.training.mackeyglass;

import io.spikering.core.stream.LmuPredictor;
import io.spikering.neuron.Activation;
import io.spikering.neuron.DeltaQuantizer;
import io.spikering.neuron.SigmaDeltaQuantizer;

/**
 * Plain-Java forward pass of an {@link LmuPredictor} (one output), adding the same float weights in the same
 * order as the event engine (input's projections first, then the memory's, then the hidden events), so it
 * reproduces the engine bit for bit; used for fast evaluation and as the engine's reference in tests.
 */
final class PredictorForward
{
    private final int d;
    private final int h;
    private final double[][] a;
    private final double[] b;
    private final float[] wm;
    private final float[] wx;
    private final float[] bh;
    private final float[] wo;
    private final float[] vm;
    private final float vx;
    private final float bo;
    private final Activation f;
    private final SigmaDeltaQuantizer quantizer;
    /** Loihi 2's delta encoder (null for the paper's rule); the readout then sums W_o·n/scale into {@link #readoutTotal}. */
    private final DeltaQuantizer delta;
    private double readoutTotal;
    private final double[] m;
    private final double[] next;
    private final double[] acc;
    private final int[] counts;
    final double[] hidden;
    private final long seed;

    PredictorForward(final LmuPredictor p)
    {
        if (p.outputs != 1)
        {
            throw new IllegalArgumentException("PredictorForward handles one output, model has " + p.outputs);
        }
        d = p.order;
        h = p.hidden;
        a = new double[d][d];
        b = new double[d];
        final float[] af = p.tensors.get(LmuPredictor.MEMORY_A);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                a[i][j] = af[i * d + j];
            }
            b[i] = p.tensors.get(LmuPredictor.MEMORY_B)[i];
        }
        wm = p.tensors.get(LmuPredictor.HIDDEN_MEMORY_KERNEL);
        wx = p.tensors.get(LmuPredictor.HIDDEN_INPUT_KERNEL);
        bh = p.tensors.get(LmuPredictor.HIDDEN_BIAS);
        wo = p.tensors.get(LmuPredictor.READOUT_HIDDEN_KERNEL);
        vm = p.tensors.get(LmuPredictor.READOUT_MEMORY_KERNEL);
        vx = p.tensors.get(LmuPredictor.READOUT_INPUT_KERNEL)[0];
        bo = p.tensors.get(LmuPredictor.READOUT_BIAS)[0];
        f = p.activation;
        seed = p.seed;
        final boolean isDelta = !Double.isNaN(p.deltaThreshold);
        quantizer = p.quantized && !isDelta ? new SigmaDeltaQuantizer(h, p.activation, p.dt, p.amplitude, p.seed) : null;
        delta = isDelta ? new DeltaQuantizer(h, p.activation, p.dt, p.amplitude, p.deltaThreshold) : null;
        m = new double[d];
        next = new double[d];
        acc = new double[h];
        counts = new int[h];
        hidden = new double[h];
    }

    void reset()
    {
        java.util.Arrays.fill(m, 0.0);
        if (quantizer != null)
        {
            quantizer.initVoltages(seed);
        }
        if (delta != null)
        {
            delta.reset();
            readoutTotal = 0.0;
        }
    }

    double[] memory()
    {
        return m;
    }

    /** One step with input u; returns the prediction. */
    double step(final double u)
    {
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                s += a[i][j] * m[j];
            }
            next[i] = s + b[i] * u;
        }
        System.arraycopy(next, 0, m, 0, d);
        java.util.Arrays.fill(acc, 0.0);
        if (u != 0.0)
        {
            for (int j = 0; j < h; j++)
            {
                acc[j] += u * wx[j];
            }
        }
        for (int i = 0; i < d; i++)
        {
            final double mi = m[i];
            if (mi != 0.0)
            {
                for (int j = 0; j < h; j++)
                {
                    acc[j] += mi * wm[i * h + j];
                }
            }
        }
        for (int j = 0; j < h; j++)
        {
            acc[j] += bh[j];
        }
        double arrived = 0.0;
        if (delta != null)
        {
            // the engine's SIGMA port: this step's events (ascending) summed, then added to the running total
            delta.step(acc, counts);
            final double scale = delta.outputScale();
            for (int j = 0; j < h; j++)
            {
                hidden[j] = delta.held()[j] * scale;
                if (counts[j] != 0)
                {
                    arrived += counts[j] * scale * wo[j];
                }
            }
        }
        else if (quantizer != null)
        {
            quantizer.step(acc, counts);
            final double scale = quantizer.outputScale();
            for (int j = 0; j < h; j++)
            {
                hidden[j] = counts[j] != 0 ? counts[j] * scale : 0.0;
            }
        }
        else
        {
            for (int j = 0; j < h; j++)
            {
                hidden[j] = f.apply(acc[j]);
            }
        }
        double y = 0;
        if (u != 0.0)
        {
            y += u * vx;
        }
        for (int i = 0; i < d; i++)
        {
            if (m[i] != 0.0)
            {
                y += m[i] * vm[i];
            }
        }
        if (delta != null)
        {
            readoutTotal += arrived;
            return (y + bo) + readoutTotal;
        }
        for (int j = 0; j < h; j++)
        {
            if (hidden[j] != 0.0)
            {
                y += hidden[j] * wo[j];
            }
        }
        return y + bo;
    }

    /**
     * NeuroBench protocol on one series: teacher-forced over the first {@code warm} points, then autonomous
     * (own prediction fed back) predicting points warm+1 .. n−1; returns those predictions.
     */
    double[] autonomous(final double[] series, final int warm)
    {
        reset();
        for (int t = 0; t < warm; t++)
        {
            step(series[t]);
        }
        final double[] out = new double[series.length - warm - 1];
        double u = series[warm];
        for (int k = 0; k < out.length; k++)
        {
            u = step(u);
            out[k] = u;
        }
        return out;
    }
}
