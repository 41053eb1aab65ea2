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
    private final double[][] voltages;
    private final double[][] currents;
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
        voltages = new double[count][];
        currents = new double[count][];
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
            final Projection p = network.projection(r);
            // convolutions and diagonals are computed from their kernel and gains, not from the delivery rows
            dense[r] = p.convKernel() != null || p.diagonalGains() != null ? null : p.toDense();
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
            if (p.kind == PopulationKind.NEURON)
            {
                voltages[id] = p.dynamics.vInitial();
                if (voltages[id] == null)
                {
                    voltages[id] = new double[p.outputSize];
                }
                currents[id] = new double[p.outputSize];
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
                case PASS_THROUGH -> System.arraycopy(excitatoryInput(p, t), 0, out, 0, out.length);
                case NEURON -> neurons(p.dynamics, excitatoryInput(p, t), voltages[id], currents[id], c, out);
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

    /**
     * One step of NIR neurons, straight from the continuous-time parameters (coefficients recomputed every step with
     * StrictMath, in the same arithmetic order as the engine's precomputed ones, so results agree bit for bit).
     */
    private static void neurons(
        final NeuronDynamics d, final double[] x, final double[] v, final double[] cur, final int[] c, final double[] out)
    {
        final NeuronDynamics.Model model = d.model();
        final boolean exact = d.discretization() == NeuronDynamics.Discretization.EXACT;
        final boolean updated = d.currentOrder() == NeuronDynamics.CurrentOrder.UPDATED;
        final double dt = d.dt();
        for (int i = 0; i < v.length; i++)
        {
            switch (model)
            {
                case I, IF -> v[i] = v[i] + (dt * d.r(i)) * x[i];
                case LI, LIF ->
                {
                    final double k = dt / d.tau(i);
                    if (exact)
                    {
                        v[i] = d.vLeak(i) + (v[i] - d.vLeak(i)) * StrictMath.exp(-k) + (d.r(i) * -StrictMath.expm1(-k)) * x[i];
                    }
                    else
                    {
                        v[i] = v[i] + k * (d.vLeak(i) - v[i] + d.r(i) * x[i]);
                    }
                }
                case CUBA_LI, CUBA_LIF ->
                {
                    final double k = dt / d.tau(i);
                    final double ks = dt / d.tauSyn(i);
                    final double s = d.wIn(i) * x[i];
                    if (!exact)
                    {
                        final double next = cur[i] + ks * (s - cur[i]);
                        v[i] = v[i] + k * (d.vLeak(i) - v[i] + d.r(i) * (updated ? next : cur[i]));
                        cur[i] = next;
                    }
                    else if (updated)
                    {
                        cur[i] = s + (cur[i] - s) * StrictMath.exp(-ks);
                        v[i] = d.vLeak(i) + (v[i] - d.vLeak(i)) * StrictMath.exp(-k) + (d.r(i) * -StrictMath.expm1(-k)) * cur[i];
                    }
                    else
                    {
                        final double vs = d.vLeak(i) + d.r(i) * s;
                        v[i] = vs + (v[i] - vs) * StrictMath.exp(-k) + (d.r(i) * (cur[i] - s)) * NeuronDynamics.coupling(k, ks);
                        cur[i] = s + (cur[i] - s) * StrictMath.exp(-ks);
                    }
                }
                case THRESHOLD ->
                {
                }
            }
            final boolean strict = d.thresholdTest() == NeuronDynamics.ThresholdTest.STRICT;
            if (model == NeuronDynamics.Model.THRESHOLD)
            {
                c[i] = (strict ? x[i] > d.vThreshold(i) : x[i] >= d.vThreshold(i)) ? 1 : 0;
            }
            else if (model.isSpiking())
            {
                c[i] = (strict ? v[i] > d.vThreshold(i) : v[i] >= d.vThreshold(i)) ? 1 : 0;
                if (c[i] == 1)
                {
                    v[i] = d.reset() == NeuronDynamics.Reset.SUBTRACT ? v[i] - (d.vThreshold(i) - d.vReset(i)) : d.vReset(i);
                }
            }
        }
        if (model.isSpiking())
        {
            scaleCounts(c, d.spikeValue(), out);
        }
        else
        {
            System.arraycopy(v, 0, out, 0, v.length);
        }
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
                    if (p.convKernel() != null)
                    {
                        convolve(p.convKernel(), a, x);
                        continue;
                    }
                    if (p.gains != null)
                    {
                        for (int j = 0; j < x.length; j++)
                        {
                            x[j] += a[j] * p.gains[j];
                        }
                        continue;
                    }
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

    /**
     * x += conv(a): for every output position, the sum over its receptive field, visited in input channel, row, column
     * order (ascending source unit, the order the engine's events arrive in).
     */
    private static void convolve(final ConvKernel k, final double[] a, final double[] x)
    {
        final boolean oneD = k.dims() == 1;
        final int inH = oneD ? 1 : k.inputShape()[0];
        final int inW = k.inputShape()[k.dims() - 1];
        final int outH = oneD ? 1 : k.outputShape()[0];
        final int outW = k.outputShape()[k.dims() - 1];
        final int kH = oneD ? 1 : k.kernelShape()[0];
        final int kW = k.kernelShape()[k.dims() - 1];
        final int sH = oneD ? 1 : k.stride()[0];
        final int sW = k.stride()[k.dims() - 1];
        final int pH = oneD ? 0 : k.paddingBefore()[0];
        final int pW = k.paddingBefore()[k.dims() - 1];
        final int dH = oneD ? 1 : k.dilation()[0];
        final int dW = k.dilation()[k.dims() - 1];
        final int inPerGroup = k.inChannels() / k.groups();
        final int outPerGroup = k.outChannels() / k.groups();
        for (int co = 0; co < k.outChannels(); co++)
        {
            final int group = co / outPerGroup;
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    final int j = (co * outH + oy) * outW + ox;
                    for (int c = 0; c < inPerGroup; c++)
                    {
                        final int ci = group * inPerGroup + c;
                        for (int ky = 0; ky < kH; ky++)
                        {
                            final int iy = oy * sH - pH + ky * dH;
                            if (iy < 0 || iy >= inH)
                            {
                                continue;
                            }
                            for (int kx = 0; kx < kW; kx++)
                            {
                                final int ix = ox * sW - pW + kx * dW;
                                if (ix >= 0 && ix < inW)
                                {
                                    x[j] += a[(ci * inH + iy) * inW + ix] * k.weight(co, c, ky, kx);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Membrane potentials of a NEURON population. */
    public double[] voltage(final int population)
    {
        return voltages[population];
    }

    /** Synaptic currents of a NEURON population (zeros unless CUBA). */
    public double[] current(final int population)
    {
        return currents[population];
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
