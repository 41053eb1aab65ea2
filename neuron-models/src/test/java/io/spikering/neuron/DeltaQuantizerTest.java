package io.spikering.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeltaQuantizerTest
{
    /** Lava's form, written independently: δ = a_t − a_{t−1} + residue; send rint(δ) when |δ| ≥ θ; residue = δ − sent. */
    private static int[][] lavaResidueForm(final double[][] a, final double threshold)
    {
        final int n = a[0].length;
        final double[] previous = new double[n];
        final double[] residue = new double[n];
        final int[][] sent = new int[a.length][n];
        for (int t = 0; t < a.length; t++)
        {
            for (int i = 0; i < n; i++)
            {
                final double delta = a[t][i] - previous[i] + residue[i];
                final double s = Math.abs(delta) >= threshold ? Math.rint(delta) : 0.0;
                sent[t][i] = (int)s;
                residue[i] = delta - s;
                previous[i] = a[t][i];
            }
        }
        return sent;
    }

    @Test
    void equalsLavasResidueFormOnIntegerGridInputs()
    {
        // on inputs whose dt·f(x) are multiples of 1/8 both forms are exact in double, so they must agree exactly
        final SplittableRandom random = new SplittableRandom(3);
        final int steps = 200;
        final int n = 6;
        final double[][] a = new double[steps][n];
        final double[][] x = new double[steps][n];
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                a[t][i] = (random.nextInt(161) - 80) / 8.0;
                x[t][i] = a[t][i] / 4.0;
            }
        }
        for (final double threshold : new double[] {0.0, 0.5, 1.0, 2.5, 7.0})
        {
            final DeltaQuantizer q = new DeltaQuantizer(n, Activation.LINEAR, 4.0, 1.0, threshold);
            final int[][] expected = lavaResidueForm(a, threshold);
            final int[] counts = new int[n];
            for (int t = 0; t < steps; t++)
            {
                q.step(x[t], counts);
                assertArrayEquals(expected[t], counts, "threshold " + threshold + ", step " + t);
            }
        }
    }

    @Test
    void receiversTrackTheActivationWithinTheThreshold()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (final double threshold : new double[] {0.0, 0.8, 3.0})
        {
            final DeltaQuantizer q = new DeltaQuantizer(5, Activation.TANH, 16.0, 1.0, threshold);
            final double[] x = new double[5];
            final int[] counts = new int[5];
            for (int t = 0; t < 300; t++)
            {
                for (int i = 0; i < 5; i++)
                {
                    x[i] = Math.sin(0.05 * t + i) * 2.0 + 0.1 * random.nextGaussian();
                }
                q.step(x, counts);
                for (int i = 0; i < 5; i++)
                {
                    final double a = 16.0 * StrictMath.tanh(x[i]);
                    assertTrue(Math.abs(a - q.held()[i]) < Math.max(threshold, 0.5) + 1e-12,
                        "threshold " + threshold + " step " + t + ": |a - R| = " + Math.abs(a - q.held()[i]));
                }
            }
        }
    }

    @Test
    void aConstantInputCostsOneEventThenNone()
    {
        final DeltaQuantizer q = new DeltaQuantizer(1, Activation.LINEAR, 10.0, 1.0, 1.0);
        final int[] counts = new int[1];
        assertEquals(1, q.step(new double[] {0.73}, counts));
        assertEquals(7, counts[0]);                     // rint(7.3): a 3-bit payload, not 7 unit events
        for (int t = 0; t < 50; t++)
        {
            assertEquals(0, q.step(new double[] {0.73}, counts));
            assertEquals(0, counts[0]);
        }
        q.step(new double[] {0.52}, counts);            // e = 5.2 − 7 = −1.8: sent as −2
        assertEquals(-2, counts[0]);
        assertEquals(5.0, q.held()[0], 0.0);
    }

    @Test
    void belowTheThresholdNothingIsSentAndTheErrorCarries()
    {
        final DeltaQuantizer q = new DeltaQuantizer(1, Activation.LINEAR, 1.0, 1.0, 2.0);
        final int[] counts = new int[1];
        q.step(new double[] {1.5}, counts);
        assertEquals(0, counts[0]);
        q.step(new double[] {1.9}, counts);
        assertEquals(0, counts[0]);
        q.step(new double[] {2.2}, counts);             // e = 2.2 ≥ 2: rint = 2
        assertEquals(2, counts[0]);
        q.step(new double[] {-0.4}, counts);            // e = −2.4
        assertEquals(-2, counts[0]);
        assertEquals(0.0, q.held()[0], 0.0);
    }

    @Test
    void forwardReturnsTheDecodedValueAndResetForgets()
    {
        final DeltaQuantizer q = new DeltaQuantizer(2, Activation.LINEAR, 4.0, 0.5, 0.0);
        final double[] out = new double[2];
        assertEquals(2, q.forward(new double[] {1.0, -0.3}, out));
        assertArrayEquals(new double[] {0.5 * 4.0 / 4.0, 0.5 * -1.0 / 4.0}, out, 0.0);
        assertEquals(0, q.forward(new double[] {1.0, -0.3}, out));  // no events, receivers still hold the value
        assertArrayEquals(new double[] {0.5, -0.125}, out, 0.0);
        q.reset();
        assertArrayEquals(new double[] {0.0, 0.0}, q.held(), 0.0);
    }

    @Test
    void refusesBadArgumentsNamingThem()
    {
        assertThrows(IllegalArgumentException.class, () -> new DeltaQuantizer(1, Activation.LINEAR, 1.0, 1.0, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new DeltaQuantizer(1, Activation.LINEAR, 1.0, 1.0, Double.NaN));
        final DeltaQuantizer q = new DeltaQuantizer(1, Activation.LINEAR, 1.0, 1.0, 0.0);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.step(new double[] {Double.NaN}, new int[1]));
        assertTrue(e.getMessage().contains("x[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.setHeld(new double[] {0.5}));
    }
}
