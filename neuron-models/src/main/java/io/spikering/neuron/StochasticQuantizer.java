package io.spikering.neuron;

import java.util.SplittableRandom;

/**
 * Stochastic rounding of dt·f(x) (Nengo's {@code StochasticSpiking}), for comparison with the sigma-delta quantizer:
 * <pre>
 *   n = floor(dt·f(x) + u),  u ~ U[0, 1)   (so E[n] = dt·f(x), n ∈ {⌊dt·f⌋, ⌊dt·f⌋+1});  output = amplitude·n/dt
 * </pre>
 * Unbiased but stateless: its errors do not diffuse, so the cumulative error grows like √T instead of staying below
 * amplitude/dt. Deterministic given the seed.
 */
public final class StochasticQuantizer implements CountQuantizer
{
    private final int size;
    private final Activation activation;
    private final int[] scratchCounts;
    private SplittableRandom random;
    private double dt;
    private double amplitude;

    public StochasticQuantizer(final int size, final Activation activation, final double dt, final double amplitude, final long seed)
    {
        this.size = Checks.positive("size", size);
        this.activation = Checks.notNull(activation);
        this.dt = Checks.positiveFinite("dt", dt);
        this.amplitude = Checks.positiveFinite("amplitude", amplitude);
        this.scratchCounts = new int[size];
        this.random = new SplittableRandom(seed);
    }

    /** Restarts the random sequence from {@code seed}. */
    public void reseed(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    public int size()
    {
        return size;
    }

    public Activation activation()
    {
        return activation;
    }

    public double dt()
    {
        return dt;
    }

    public void setDt(final double dt)
    {
        this.dt = Checks.positiveFinite("dt", dt);
    }

    public double amplitude()
    {
        return amplitude;
    }

    public void setAmplitude(final double amplitude)
    {
        this.amplitude = Checks.positiveFinite("amplitude", amplitude);
    }

    public double outputScale()
    {
        return amplitude / dt;
    }

    public int step(final double[] x, final int[] counts)
    {
        Checks.length("x", x, size);
        Checks.length("counts", counts, size);
        int nonZero = 0;
        for (int i = 0; i < size; i++)
        {
            final double xi = x[i];
            if (!Double.isFinite(xi))
            {
                throw Checks.nonFiniteInput("x", i, xi);
            }
            final double r = dt * activation.apply(xi);
            final double n = Math.floor(r + random.nextDouble());
            if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE)
            {
                throw new IllegalArgumentException("count of neuron " + i + " (" + n + ") exceeds the int range: dt*f(x["
                    + i + "]) = " + r + "; reduce dt or the input");
            }
            final int c = (int)n;
            counts[i] = c;
            if (c != 0)
            {
                nonZero++;
            }
        }
        return nonZero;
    }

    public int forward(final double[] x, final double[] out)
    {
        Checks.length("out", out, size);
        final int nonZero = step(x, scratchCounts);
        final double scale = outputScale();
        for (int i = 0; i < size; i++)
        {
            out[i] = scale * scratchCounts[i];
        }
        return nonZero;
    }
}
