package io.spikering.training;

/**
 * Per-feature affine standardization (m − mean)/std of the memory states, from training-set statistics.
 * It is folded into W_m and the bias at export, so consumers of a model file never see it.
 */
public record Standardization(double[] mean, double[] std)
{
    public Standardization
    {
        if (mean.length != std.length)
        {
            throw new IllegalArgumentException("mean and std lengths differ: " + mean.length + " vs " + std.length);
        }
        for (int i = 0; i < std.length; i++)
        {
            if (!(std[i] > 0.0) || !Double.isFinite(mean[i]))
            {
                throw new IllegalArgumentException("feature " + i + ": std must be > 0 and mean finite, got mean=" + mean[i] + " std=" + std[i]);
            }
        }
    }

    /** The identity standardization (mean 0, std 1) for {@code size} features. */
    public static Standardization identity(final int size)
    {
        final double[] std = new double[size];
        java.util.Arrays.fill(std, 1.0);
        return new Standardization(new double[size], std);
    }
}
