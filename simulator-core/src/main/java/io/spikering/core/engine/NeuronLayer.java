package io.spikering.core.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * NIR neurons ({@link NeuronDynamics}): integrate the step's input over dt, then (spiking models) threshold and reset.
 * Spiking models emit unit events valued spikeValue, the others v, dense. Coefficients are precomputed per neuron.
 */
final class NeuronLayer extends Layer
{
    private final NeuronDynamics d;
    private final NeuronDynamics.Model model;
    private final boolean exact;
    private final boolean updatedCurrent;
    private final boolean strict;
    private final boolean subtract;
    final double[] v;
    final double[] current;

    NeuronLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        d = spec.dynamics;
        model = d.model();
        exact = d.discretization() == NeuronDynamics.Discretization.EXACT;
        updatedCurrent = d.currentOrder() == NeuronDynamics.CurrentOrder.UPDATED;
        strict = d.thresholdTest() == NeuronDynamics.ThresholdTest.STRICT;
        subtract = d.reset() == NeuronDynamics.Reset.SUBTRACT;
        v = new double[spec.outputSize];
        current = new double[spec.outputSize];
        initial();
    }

    private void initial()
    {
        for (int i = 0; i < v.length; i++)
        {
            v[i] = d.vInitial(i);
        }
        Arrays.fill(current, 0.0);
    }

    @Override
    void update(final long step)
    {
        final double[] x = input(step);
        switch (model)
        {
            case I, IF -> integrate(x);
            case LI, LIF -> leak(x);
            case CUBA_LI, CUBA_LIF -> cuba(x);
            case THRESHOLD -> threshold(x);
        }
        Arrays.fill(x, 0.0);
        if (model == NeuronDynamics.Model.IF || model == NeuronDynamics.Model.LIF || model == NeuronDynamics.Model.CUBA_LIF)
        {
            fire();
        }
        if (counts != null)
        {
            compactCounts(d.spikeValue());
        }
        else
        {
            System.arraycopy(v, 0, output, 0, v.length);
            compactOutput();
        }
    }

    /** v += dt r x (exact for a constant input). */
    private void integrate(final double[] x)
    {
        final double[] dtR = d.decay;
        for (int i = 0; i < v.length; i++)
        {
            v[i] = v[i] + dtR[i] * x[i];
        }
    }

    private void leak(final double[] x)
    {
        final double[] a = d.decay;
        if (exact)
        {
            final double[] g = d.gain;
            for (int i = 0; i < v.length; i++)
            {
                final double leak = d.vLeak(i);
                v[i] = leak + (v[i] - leak) * a[i] + g[i] * x[i];
            }
        }
        else
        {
            for (int i = 0; i < v.length; i++)
            {
                v[i] = v[i] + a[i] * (d.vLeak(i) - v[i] + d.r(i) * x[i]);
            }
        }
    }

    private void cuba(final double[] x)
    {
        final double[] a = d.decay;
        final double[] b = d.synDecay;
        if (!exact)
        {
            for (int i = 0; i < v.length; i++)
            {
                final double next = current[i] + b[i] * (d.wIn(i) * x[i] - current[i]);
                final double used = updatedCurrent ? next : current[i];
                v[i] = v[i] + a[i] * (d.vLeak(i) - v[i] + d.r(i) * used);
                current[i] = next;
            }
        }
        else if (updatedCurrent)
        {
            final double[] g = d.gain;
            for (int i = 0; i < v.length; i++)
            {
                final double target = d.wIn(i) * x[i];
                current[i] = target + (current[i] - target) * b[i];
                final double leak = d.vLeak(i);
                v[i] = leak + (v[i] - leak) * a[i] + g[i] * current[i];
            }
        }
        else
        {
            // the coupled ODE solved over the step: both variables relax towards their fixed point for input x
            final double[] c = d.coupling;
            for (int i = 0; i < v.length; i++)
            {
                final double target = d.wIn(i) * x[i];
                final double r = d.r(i);
                final double vTarget = d.vLeak(i) + r * target;
                v[i] = vTarget + (v[i] - vTarget) * a[i] + (r * (current[i] - target)) * c[i];
                current[i] = target + (current[i] - target) * b[i];
            }
        }
    }

    private void threshold(final double[] x)
    {
        for (int i = 0; i < counts.length; i++)
        {
            final double th = d.vThreshold(i);
            counts[i] = (strict ? x[i] > th : x[i] >= th) ? 1 : 0;
        }
    }

    private void fire()
    {
        for (int i = 0; i < v.length; i++)
        {
            final double th = d.vThreshold(i);
            final boolean spike = strict ? v[i] > th : v[i] >= th;
            counts[i] = spike ? 1 : 0;
            if (spike)
            {
                v[i] = subtract ? v[i] - (th - d.vReset(i)) : d.vReset(i);
            }
        }
    }

    @Override
    int stateBytes()
    {
        return super.stateBytes() + 16 * v.length;
    }

    @Override
    void save(final ByteBuffer out)
    {
        super.save(out);
        putAll(out, v);
        putAll(out, current);
    }

    @Override
    void restore(final ByteBuffer in)
    {
        super.restore(in);
        getAll(in, v);
        getAll(in, current);
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        initial();
    }
}
