package io.spikering.neuron;

/**
 * Base (non-spiking) activation functions f(x) with their derivatives f'(x).
 * The quantizers wrap one of these; training back-propagates through {@link #derivative(double)}.
 */
public enum Activation
{
    LINEAR
    {
        public double apply(final double x) { return x; }
        public double derivative(final double x) { return 1.0; }
        public boolean canBeNegative() { return true; }
    },
    RELU
    {
        public double apply(final double x) { return x > 0.0 ? x : 0.0; }
        public double derivative(final double x) { return x > 0.0 ? 1.0 : 0.0; }
        public boolean canBeNegative() { return false; }
    },
    TANH
    {
        public double apply(final double x) { return FdlibmTanh.tanh(x); }
        public double derivative(final double x) { final double t = FdlibmTanh.tanh(x); return 1.0 - t * t; }
        public boolean canBeNegative() { return true; }
    },
    SIGMOID
    {
        public double apply(final double x) { return 1.0 / (1.0 + Math.exp(-x)); }
        public double derivative(final double x) { final double s = 1.0 / (1.0 + Math.exp(-x)); return s * (1.0 - s); }
        public boolean canBeNegative() { return false; }
    };

    public abstract double apply(double x);

    public abstract double derivative(double x);

    /** Whether f can produce negative values, so that spike counts carry a sign bit. */
    public abstract boolean canBeNegative();

    /** Parses a name case-insensitively, with an error listing the accepted names. */
    public static Activation parse(final String name)
    {
        for (final Activation a : values())
        {
            if (a.name().equalsIgnoreCase(name))
            {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "': expected one of linear, relu, tanh, sigmoid");
    }
}
