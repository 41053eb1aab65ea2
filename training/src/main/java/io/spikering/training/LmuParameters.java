package io.spikering.training;

import java.util.SplittableRandom;

/**
 * All trainable parameters of the parallel LMU in one flat float array (so Adam, clipping, reduction and
 * checkpoints treat them alike). Layout, row-major:
 * W_m [d][N] at {@link #memoryKernel()}, W_x [N] at {@link #inputKernel()}, b [N] at {@link #hiddenBias()},
 * W_out [N][C] at {@link #readoutKernel()}, b_out [C] at {@link #readoutBias()}.
 * W_m applies to the standardized memory features.
 */
public final class LmuParameters
{
    private final LmuSpec spec;
    private final float[] values;

    public LmuParameters(final LmuSpec spec)
    {
        this.spec = spec;
        this.values = new float[spec.parameterCount()];
    }

    /** Glorot-normal hidden kernel [W_m; W_x] (fan-in d+1, fan-out N), Glorot-uniform readout, zero biases. */
    public static LmuParameters initialize(final LmuSpec spec, final long seed)
    {
        final LmuParameters p = new LmuParameters(spec);
        final SplittableRandom random = new SplittableRandom(seed);
        final int n = spec.hidden();
        final double hiddenStd = Math.sqrt(2.0 / (spec.order() + 1 + n));
        for (int i = 0; i < (spec.order() + 1) * n; i++)
        {
            p.values[i] = (float)(hiddenStd * gaussian(random));
        }
        final double limit = Math.sqrt(6.0 / (n + spec.classes()));
        final int ro = p.readoutKernel();
        for (int i = 0; i < n * spec.classes(); i++)
        {
            p.values[ro + i] = (float)((random.nextDouble() * 2.0 - 1.0) * limit);
        }
        return p;
    }

    private static double gaussian(final SplittableRandom random)
    {
        // Box–Muller, so the stream is fixed by the seed alone (no hidden cached second value).
        final double u1 = 1.0 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    public LmuSpec spec()
    {
        return spec;
    }

    /** The live flat array. */
    public float[] values()
    {
        return values;
    }

    public int memoryKernel()
    {
        return 0;
    }

    public int inputKernel()
    {
        return spec.order() * spec.hidden();
    }

    public int hiddenBias()
    {
        return inputKernel() + spec.hidden();
    }

    public int readoutKernel()
    {
        return hiddenBias() + spec.hidden();
    }

    public int readoutBias()
    {
        return readoutKernel() + spec.hidden() * spec.classes();
    }

    public LmuParameters copy()
    {
        final LmuParameters p = new LmuParameters(spec);
        System.arraycopy(values, 0, p.values, 0, values.length);
        return p;
    }

    public void copyFrom(final LmuParameters other)
    {
        System.arraycopy(other.values, 0, values, 0, values.length);
    }
}
