package io.spikering.neuron;

/** Argument checks shared by the neuron models; every message names the argument, its range and the value. */
final class Checks
{
    private Checks()
    {
    }

    static int positive(final String name, final int value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    static double positiveFinite(final String name, final double value)
    {
        if (!(value > 0.0) || value == Double.POSITIVE_INFINITY)
        {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
        return value;
    }

    static double finite(final String name, final double value)
    {
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    static void length(final String name, final double[] array, final int expected)
    {
        if (array == null || array.length != expected)
        {
            throw new IllegalArgumentException(
                name + " must have length " + expected + " (the layer size), got " + (array == null ? "null" : array.length));
        }
    }

    static void length(final String name, final int[] array, final int expected)
    {
        if (array == null || array.length != expected)
        {
            throw new IllegalArgumentException(
                name + " must have length " + expected + " (the layer size), got " + (array == null ? "null" : array.length));
        }
    }

    static void atLeast(final String name, final int[] array, final int minimum)
    {
        if (array == null || array.length < minimum)
        {
            throw new IllegalArgumentException(
                name + " must have length >= " + minimum + " (the layer size), got " + (array == null ? "null" : array.length));
        }
    }

    static IllegalArgumentException nonFiniteInput(final String name, final int index, final double value)
    {
        return new IllegalArgumentException(
            name + "[" + index + "] (input of neuron " + index + ") must be finite, got " + value);
    }

    static Activation notNull(final Activation activation)
    {
        if (activation == null)
        {
            throw new IllegalArgumentException("activation must not be null: one of linear, relu, tanh, sigmoid");
        }
        return activation;
    }
}
