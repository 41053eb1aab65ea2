package io.spikering.bench;

import io.spikering.core.engine.Network;
import io.spikering.neuron.Activation;

import java.util.SplittableRandom;

/** Seeded random weights and event sets shared by the benchmarks (deterministic given the seed). */
final class Workloads
{
    private Workloads()
    {
    }

    /** {@code sources} rows of {@code width} weights uniform in [-1, 1). */
    static float[][] denseRows(final int sources, final int width, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[][] rows = new float[sources][width];
        for (final float[] row : rows)
        {
            for (int j = 0; j < width; j++)
            {
                row[j] = (float)(2 * random.nextDouble() - 1);
            }
        }
        return rows;
    }

    /** {@code k} distinct units of [0, n), ascending (as the engine's compacted events are). */
    static int[] activeUnits(final int n, final int k, final long seed)
    {
        if (k < 0 || k > n)
        {
            throw new IllegalArgumentException("active units must be in [0, " + n + "], got " + k);
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final boolean[] chosen = new boolean[n];
        int picked = 0;
        while (picked < k)
        {
            final int i = random.nextInt(n);
            if (!chosen[i])
            {
                chosen[i] = true;
                picked++;
            }
        }
        final int[] units = new int[k];
        int m = 0;
        for (int i = 0; i < n; i++)
        {
            if (chosen[i])
            {
                units[m++] = i;
            }
        }
        return units;
    }

    /** The rows widened to double (exact), as the engine stores dense rows for its kernel. */
    static double[][] widen(final float[][] rows)
    {
        final double[][] wide = new double[rows.length][];
        for (int i = 0; i < rows.length; i++)
        {
            wide[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++)
            {
                wide[i][j] = rows[i][j];
            }
        }
        return wide;
    }

    /** input("in", rows.length) -> rate("out", width, LINEAR), dense rows; population ids 0 and 1. */
    static Network inputToRate(final float[][] rows)
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", rows.length);
        final int out = b.rate("out", rows[0].length, Activation.LINEAR);
        b.connect(in, out).dense(rows);
        return b.build();
    }

    /** Input values with exactly the given units non-zero, alternating +1 and -1. */
    static double[] sparseInput(final int size, final int[] units)
    {
        final double[] input = new double[size];
        for (int e = 0; e < units.length; e++)
        {
            input[units[e]] = (e & 1) == 0 ? 1.0 : -1.0;
        }
        return input;
    }
}
