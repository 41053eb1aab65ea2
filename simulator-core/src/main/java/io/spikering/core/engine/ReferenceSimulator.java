package io.spikering.core.engine;

import io.spikering.neuron.CountQuantizer;
import io.spikering.neuron.CubaLif;
import io.spikering.neuron.DeltaQuantizer;
import io.spikering.neuron.SigmaDeltaQuantizer;

import java.util.Arrays;

/**
 * The obviously-correct reference for {@link Simulator}: no events, no rings, no skipping of zeros. It keeps every
 * population's outputs of the last maxDelay + 1 steps and computes each input as a full dense sum over all
 * projections, Σ_i out_src[t - d][i] · W[i][j], in the order the engine's deliveries reach a slot (emission step
 * ascending, i.e. delay descending; then source in update order; then projection id; then source unit), so that
 * floating-point sums agree exactly. Slow (O(sources × targets) per projection per step); for tests only.
 */
public final class ReferenceSimulator
{
    private final Network network;
    private final int[] order;
    private final int history;
    private final double[][][] outputs;
    private final int[][] counts;
    private final float[][][] dense;
    private final double[][] inputs;
    private final CountQuantizer[] quantizers;
    private final double[][] sigmaTotals;
    private final CubaLif[] lifs;
    private final double[][] memories;
    private long step;

    public ReferenceSimulator(final Network network)
    {
        this.network = network;
        order = network.order();
        int maxDelay = 0;
        for (int r = 0; r < network.projectionCount(); r++)
        {
            maxDelay = Math.max(maxDelay, network.projection(r).delay);
        }
        history = maxDelay + 1;
        final int count = network.populationCount();
        outputs = new double[count][history][];
        counts = new int[count][];
        inputs = new double[count][];
        quantizers = new CountQuantizer[count];
        sigmaTotals = new double[count][];
        lifs = new CubaLif[count];
        memories = new double[count][];
        for (int id = 0; id < count; id++)
        {
            final Population p = network.population(id);
            for (int h = 0; h < history; h++)
            {
                outputs[id][h] = new double[p.outputSize];
            }
            counts[id] = new int[p.outputSize];
            inputs[id] = new double[p.outputSize];
        }
        dense = new float[network.projectionCount()][][];
        for (int r = 0; r < dense.length; r++)
        {
            dense[r] = network.projection(r).toDense();
        }
        reset();
    }

    /** Initial state with the configured quantizer seeds. */
    public void reset()
    {
        reset(false, 0);
    }

    /** Initial state with quantizer seeds mixed from {@code seed}, as {@link Simulator#reset(long)}. */
    public void reset(final long seed)
    {
        reset(true, seed);
    }

    private void reset(final boolean useSeed, final long seed)
    {
        step = 0;
        for (int id = 0; id < network.populationCount(); id++)
        {
            final Population p = network.population(id);
            for (final double[] out : outputs[id])
            {
                Arrays.fill(out, 0.0);
            }
            Arrays.fill(counts[id], 0);
            Arrays.fill(inputs[id], 0.0);
            final Quantization q = p.quantization;
            if (q != null)
            {
                quantizers[id] = q.isDelta() ? new DeltaQuantizer(p.outputSize, q.activation(), q.dt(), q.amplitude(), q.threshold()) :
                    new SigmaDeltaQuantizer(p.outputSize, q.activation(), q.dt(), q.amplitude(), useSeed ? Layer.mix(seed, id) : q.seed());
            }
            sigmaTotals[id] = p.sigmaInput ? new double[p.inputSize] : null;
            if (p.kind == PopulationKind.LIF)
            {
                lifs[id] = new CubaLif(p.outputSize, p.lif.parameters(), p.lif.dtMs());
                if (p.lif.initialMembraneMv() != null)
                {
                    for (int i = 0; i < p.outputSize; i++)
                    {
                        lifs[id].setMembrane(i, p.lif.initialMembraneMv()[i]);
                    }
                }
            }
            if (p.kind == PopulationKind.STATE_SPACE || p.kind == PopulationKind.LINEAR_FILTER ||
                p.kind == PopulationKind.INTEGRATOR)
            {
                memories[id] = new double[p.kind == PopulationKind.LINEAR_FILTER ? p.channels * p.stateB.length : p.outputSize];
            }
        }
    }

    public void setInput(final int population, final double[] values)
    {
        System.arraycopy(values, 0, inputs[population], 0, inputs[population].length);
    }

    public void step()
    {
        final long t = step;
        for (final int id : order)
        {
            final Population p = network.population(id);
            final double[] out = outputs[id][(int)(t % history)];
            final int[] c = counts[id];
            if (!p.isActive(t))
            {
                Arrays.fill(out, 0.0);
                Arrays.fill(c, 0);
                continue;
            }
            switch (p.kind)
            {
                case INTEGRATOR ->
                {
                    final double[] x = excitatoryInput(p, t);
                    final double[] sum = memories[id];
                    for (int i = 0; i < out.length; i++)
                    {
                        sum[i] += x[i];
                        out[i] = p.integratorScale * sum[i] + (p.outputBias == null ? 0.0 : p.outputBias[i]);
                    }
                }
                case LINEAR_FILTER ->
                {
                    // the plain recurrence, observed only in the output window
                    final double[] u = t < p.windowUntil ? excitatoryInput(p, t) : new double[p.inputSize];
                    final double[] m = memories[id];
                    final double[] next = new double[m.length];
                    final int d = p.stateB.length;
                    for (int ch = 0; ch < p.channels; ch++)
                    {
                        for (int i = 0; i < d; i++)
                        {
                            double sum = 0.0;
                            for (int j = 0; j < d; j++)
                            {
                                sum += p.stateA[i][j] * m[ch * d + j];
                            }
                            next[ch * d + i] = sum + p.stateB[i] * u[ch];
                        }
                    }
                    System.arraycopy(next, 0, m, 0, m.length);
                    final boolean inWindow = t >= p.windowFrom && t < p.windowUntil;
                    final int r = p.filterOutputs == null ? d : p.filterOutputs.length;
                    for (int ch = 0; ch < p.channels; ch++)
                    {
                        for (int i = 0; i < r; i++)
                        {
                            double y = 0.0;
                            if (p.filterOutputs == null)
                            {
                                y = m[ch * d + i];
                            }
                            else
                            {
                                for (int j = 0; j < d; j++)
                                {
                                    y += p.filterOutputs[i][j] * m[ch * d + j];
                                }
                            }
                            out[ch * r + i] = inWindow ? y : 0.0;
                        }
                    }
                }
                case INPUT -> System.arraycopy(inputs[id], 0, out, 0, out.length);
                case RATE ->
                {
                    final double[] x = excitatoryInput(p, t);
                    for (int i = 0; i < out.length; i++)
                    {
                        out[i] = p.activation.apply(x[i]);
                    }
                }
                case SIGMA_DELTA ->
                {
                    quantizers[id].step(excitatoryInput(p, t), c);
                    scaleCounts(c, quantizers[id].outputScale(), out);
                }
                case LIF ->
                {
                    final int[] spikes = new int[p.outputSize];
                    final int n = lifs[id].step(excitatoryInput(p, t), summedInput(p, Port.INHIBITORY, t), spikes);
                    Arrays.fill(c, 0);
                    for (int k = 0; k < n; k++)
                    {
                        c[spikes[k]] = 1;
                    }
                    scaleCounts(c, 1.0, out);
                }
                case STATE_SPACE ->
                {
                    final double[] u = excitatoryInput(p, t);
                    final double[] m = memories[id];
                    final double[] next = new double[m.length];
                    final int d = p.stateB.length;
                    for (int ch = 0; ch < p.channels; ch++)
                    {
                        for (int i = 0; i < d; i++)
                        {
                            double sum = 0.0;
                            for (int j = 0; j < d; j++)
                            {
                                sum += p.stateA[i][j] * m[ch * d + j];
                            }
                            sum += p.stateB[i] * u[ch];
                            next[ch * d + i] = sum;
                        }
                    }
                    System.arraycopy(next, 0, m, 0, m.length);
                    if (quantizers[id] == null)
                    {
                        System.arraycopy(m, 0, out, 0, m.length);
                    }
                    else
                    {
                        quantizers[id].step(m, c);
                        scaleCounts(c, quantizers[id].outputScale(), out);
                    }
                }
            }
        }
        step = t + 1;
    }

    private static void scaleCounts(final int[] c, final double scale, final double[] out)
    {
        for (int i = 0; i < c.length; i++)
        {
            out[i] = c[i] * scale;
        }
    }

    /** The excitatory sum with the bias, plus the SIGMA port's running total after this step's arrivals. */
    private double[] excitatoryInput(final Population target, final long t)
    {
        final double[] x = summedInput(target, Port.EXCITATORY, t);
        final double[] total = sigmaTotals[target.id];
        if (total != null)
        {
            final double[] arrived = summedInput(target, Port.SIGMA, t);
            for (int j = 0; j < x.length; j++)
            {
                total[j] += arrived[j];
                x[j] += total[j];
            }
        }
        return x;
    }

    private double[] summedInput(final Population target, final Port port, final long t)
    {
        final double[] x = new double[target.inputSize];
        for (int d = history - 1; d >= 0; d--)
        {
            if (t - d < 0)
            {
                continue;
            }
            for (final int source : order)
            {
                for (int r = 0; r < network.projectionCount(); r++)
                {
                    final Projection p = network.projection(r);
                    if (p.source != source || p.target != target.id || p.port != port || p.delay != d)
                    {
                        continue;
                    }
                    final double[] a = outputs[source][(int)((t - d) % history)];
                    final float[][] w = dense[r];
                    for (int i = 0; i < a.length; i++)
                    {
                        for (int j = 0; j < x.length; j++)
                        {
                            x[j] += a[i] * w[i][j];
                        }
                    }
                }
            }
        }
        if (port == Port.EXCITATORY && target.bias != null)
        {
            for (int j = 0; j < x.length; j++)
            {
                x[j] += target.bias[j];
            }
        }
        return x;
    }

    /** Outputs of the last step. */
    public double[] outputs(final int population)
    {
        return outputs[population][(int)((step + history - 1) % history)];
    }

    /** Per-neuron counts of the last step (zeros for dense populations). */
    public int[] counts(final int population)
    {
        return counts[population];
    }

    /** Memory of a state-space population. */
    public double[] memory(final int population)
    {
        return memories[population];
    }
}
