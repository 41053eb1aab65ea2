package io.spikering.neuron;

/** Non-spiking neurons: output = amplitude·f(x), the limit of the sigma-delta quantizer as dt → ∞. */
public final class RateNeuron implements ActivationLayer
{
    private final int size;
    private final Activation activation;
    private double amplitude;

    public RateNeuron(final int size, final Activation activation, final double amplitude)
    {
        this.size = Checks.positive("size", size);
        this.activation = Checks.notNull(activation);
        this.amplitude = Checks.positiveFinite("amplitude", amplitude);
    }

    public int size()
    {
        return size;
    }

    public Activation activation()
    {
        return activation;
    }

    public double amplitude()
    {
        return amplitude;
    }

    public void setAmplitude(final double amplitude)
    {
        this.amplitude = Checks.positiveFinite("amplitude", amplitude);
    }

    public int forward(final double[] x, final double[] out)
    {
        Checks.length("x", x, size);
        Checks.length("out", out, size);
        int nonZero = 0;
        for (int i = 0; i < size; i++)
        {
            final double xi = x[i];
            if (!Double.isFinite(xi))
            {
                throw Checks.nonFiniteInput("x", i, xi);
            }
            final double a = amplitude * activation.apply(xi);
            out[i] = a;
            if (a != 0.0)
            {
                nonZero++;
            }
        }
        return nonZero;
    }
}
