package io.spikering.neuron;

/** Shifted Legendre polynomials P̃_i(x) = P_i(2x − 1) on [0, 1] (P̃_i(0) = (−1)^i, P̃_i(1) = 1). */
public final class ShiftedLegendre
{
    private ShiftedLegendre()
    {
    }

    /** P̃_i(x) by Bonnet's recurrence (k+1)·P_{k+1}(y) = (2k+1)·y·P_k(y) − k·P_{k−1}(y) with y = 2x − 1. */
    public static double value(final int i, final double x)
    {
        if (i < 0)
        {
            throw new IllegalArgumentException("i (polynomial degree) must be >= 0, got " + i);
        }
        if (!(x >= 0.0 && x <= 1.0))
        {
            throw new IllegalArgumentException("x must be in [0, 1], got " + x);
        }
        final double y = 2.0 * x - 1.0;
        double previous = 1.0;
        double current = y;
        if (i == 0)
        {
            return previous;
        }
        for (int k = 1; k < i; k++)
        {
            final double next = ((2 * k + 1) * y * current - k * previous) / (k + 1);
            previous = current;
            current = next;
        }
        return current;
    }
}
