package io.spikering.training;

import io.spikering.neuron.Activation;

/**
 * Shape of the feed-forward-in-time ("parallel") LMU: a Legendre memory of {@code order} dimensions and window
 * {@code theta} driven by a scalar input over {@code steps} time-steps, a hidden layer of {@code hidden} units
 * h_t = f(W_m m_t + W_x x_t + b) evaluated over the last {@code window} steps only, and a dense readout of the
 * mean of h over that window into {@code classes} logits.
 *
 * @param order          Legendre memory order d.
 * @param theta          memory window θ in time-steps.
 * @param zoh            true for zero-order-hold discretization, false for Euler.
 * @param steps          sequence length T.
 * @param window         readout window K (the hidden layer runs from step T−K to T−1).
 * @param hidden         number of hidden units N.
 * @param activation     hidden activation f.
 * @param classes        number of output classes C.
 */
public record LmuSpec(int order, double theta, boolean zoh, int steps, int window, int hidden, Activation activation, int classes)
{
    public LmuSpec
    {
        require(order >= 1 && order <= 4096, "order", order, "1..4096");
        if (!(theta > 0.0) || Double.isInfinite(theta))
        {
            throw new IllegalArgumentException("theta must be a positive finite number of time-steps, got " + theta);
        }
        require(steps >= 1, "steps", steps, ">= 1");
        require(window >= 1 && window <= steps, "window", window, "1..steps (" + steps + ")");
        require(hidden >= 1 && hidden <= 1 << 16, "hidden", hidden, "1..65536");
        require(classes >= 2 && classes <= 1 << 16, "classes", classes, "2..65536");
        if (activation == null)
        {
            throw new IllegalArgumentException("activation must be given (tanh or relu)");
        }
    }

    /** The psMNIST configuration we ship: order 256, θ = 784, ZOH, 784 steps, 10 classes. */
    public static LmuSpec psMnist(final int hidden, final Activation activation, final int window)
    {
        return new LmuSpec(256, 784.0, true, 784, window, hidden, activation, 10);
    }

    /** The first step (0-based) at which the hidden layer is evaluated: T − K. */
    public int firstHiddenStep()
    {
        return steps - window;
    }

    /** Number of trainable parameters (W_m, W_x, b, W_out, b_out). */
    public int parameterCount()
    {
        return order * hidden + hidden + hidden + hidden * classes + classes;
    }

    public String discretization()
    {
        return zoh ? "zoh" : "euler";
    }

    private static void require(final boolean ok, final String name, final int value, final String range)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(name + " must be in " + range + ", got " + value);
        }
    }
}
