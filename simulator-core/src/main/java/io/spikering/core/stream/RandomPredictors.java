package io.spikering.core.stream;

import io.spikering.neuron.Activation;
import io.spikering.neuron.LegendreMemory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random-weight LMU predictors (a real ZOH Legendre memory, uniform random encoders and readouts): test fixtures and
 * models of a given size for latency measurements ({@code stream synthetic-model}).
 */
public final class RandomPredictors
{
    private RandomPredictors()
    {
    }

    public static LmuPredictor random(final int order, final double theta, final int hidden, final int outputs, final double dt,
        final boolean reset, final long seed)
    {
        final SplittableRandom r = new SplittableRandom(seed);
        final LegendreMemory lmu = LegendreMemory.zoh(order, theta);
        final Map<String, float[]> t = new LinkedHashMap<>();
        final float[] a = new float[order * order];
        final float[] b = new float[order];
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                a[i * order + j] = (float)lmu.a()[i][j];
            }
            b[i] = (float)lmu.b()[i];
        }
        t.put(LmuPredictor.MEMORY_A, a);
        t.put(LmuPredictor.MEMORY_B, b);
        t.put(LmuPredictor.HIDDEN_MEMORY_KERNEL, uniform(r, order * hidden, 1.0 / Math.sqrt(order)));
        t.put(LmuPredictor.HIDDEN_INPUT_KERNEL, uniform(r, hidden, 0.5));
        t.put(LmuPredictor.HIDDEN_BIAS, uniform(r, hidden, 0.2));
        t.put(LmuPredictor.READOUT_HIDDEN_KERNEL, uniform(r, hidden * outputs, 1.0 / Math.sqrt(hidden)));
        t.put(LmuPredictor.READOUT_MEMORY_KERNEL, uniform(r, order * outputs, 0.1));
        t.put(LmuPredictor.READOUT_INPUT_KERNEL, uniform(r, outputs, 0.5));
        t.put(LmuPredictor.READOUT_BIAS, uniform(r, outputs, 0.1));
        return new LmuPredictor(order, theta, hidden, outputs, Activation.TANH, true, dt, 1.0, seed, reset, t, Map.of("task", "synthetic (random weights, for tests and latency measurements)"));
    }

    public static Path write(final LmuPredictor model, final Path file) throws java.io.IOException
    {
        model.write(file);
        return file;
    }

    private static float[] uniform(final SplittableRandom r, final int n, final double scale)
    {
        final float[] v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
