package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MemoryFeaturesTest
{
    @Test
    void featuresEqualTheStepByStepRecurrence()
    {
        final LmuSpec spec = Synthetic.spec(8, Activation.TANH);
        final Synthetic data = Synthetic.make(spec, 7, 3);
        final MemoryMatrices mm = MemoryMatrices.of(spec);
        final MemoryFeatures f = MemoryFeatures.compute(spec, mm, data.sequences, data.labels, 2);
        final int d = spec.order();
        for (int s = 0; s < 7; s++)
        {
            final double[] m = new double[d];
            for (int t = 0; t < spec.steps(); t++)
            {
                final double[] next = new double[d];
                for (int i = 0; i < d; i++)
                {
                    double acc = 0.0;
                    for (int j = 0; j < d; j++)
                    {
                        acc += mm.a()[i][j] * m[j];
                    }
                    next[i] = acc + mm.b()[i] * data.sequences[s][t];
                }
                System.arraycopy(next, 0, m, 0, d);
                final int k = t - spec.firstHiddenStep();
                if (k >= 0)
                {
                    for (int i = 0; i < d; i++)
                    {
                        assertEquals(m[i], f.memory()[(s * spec.window() + k) * d + i], 1e-5 * (1.0 + Math.abs(m[i])), "sample " + s + " step " + t);
                    }
                    assertEquals(data.sequences[s][t], f.input()[s * spec.window() + k]);
                }
            }
        }
    }

    @Test
    void featuresDoNotDependOnThreads()
    {
        final LmuSpec spec = Synthetic.spec(8, Activation.TANH);
        final Synthetic data = Synthetic.make(spec, 31, 5);
        assertArrayEquals(data.features(spec, 1).memory(), data.features(spec, 3).memory());
    }

    @Test
    void standardizedFeaturesHaveZeroMeanAndUnitVariance()
    {
        final LmuSpec spec = Synthetic.spec(8, Activation.TANH);
        final MemoryFeatures f = Synthetic.make(spec, 50, 9).features(spec, 1);
        f.standardize(f.statistics());
        final Standardization after = f.statistics();
        for (int i = 0; i < spec.order(); i++)
        {
            assertEquals(0.0, after.mean()[i], 1e-5);
            assertEquals(1.0, after.std()[i], 1e-4);
        }
    }

    @Test
    void rejectsWrongSequenceLengthAndLabels()
    {
        final LmuSpec spec = Synthetic.spec(8, Activation.TANH);
        final MemoryMatrices mm = MemoryMatrices.of(spec);
        assertThrows(IllegalArgumentException.class, () -> MemoryFeatures.compute(spec, mm, new float[][] {new float[5]}, new int[] {0}, 1));
        assertThrows(IllegalArgumentException.class, () -> MemoryFeatures.compute(spec, mm, new float[][] {new float[40]}, new int[] {3}, 1));
    }
}
