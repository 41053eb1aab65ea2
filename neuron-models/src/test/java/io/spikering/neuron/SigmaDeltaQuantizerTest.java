package io.spikering.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SigmaDeltaQuantizerTest
{
    private static final double[] LINSPACE = {-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0};

    /**
     * The spec's vectors (paper-spec §1.5) are the counts of ONE neuron (v_0 = 0.5) fed x = linspace(-2, 2, 9) over
     * nine consecutive steps; read as nine neurons stepped once they do not match (e.g. dt = 0.5, x = -1.5 gives
     * floor(0.5 - 0.45) = 0, not -1), so "one unit per x" in the spec means one step per x.
     */
    private static int[] specVector(final double dt)
    {
        final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(1, Activation.TANH, dt, 1.0, 1L);
        q.setVoltages(new double[] {0.5});
        final int[] counts = new int[LINSPACE.length];
        final int[] one = new int[1];
        for (int t = 0; t < LINSPACE.length; t++)
        {
            q.step(new double[] {LINSPACE[t]}, one);
            counts[t] = one[0];
        }
        return counts;
    }

    @Test
    void reproducesTheSpecTestVectors()
    {
        assertArrayEquals(new int[] {0, -1, 0, -1, 0, 1, 0, 1, 0}, specVector(0.5));
        assertArrayEquals(new int[] {-1, -1, -1, 0, 0, 0, 1, 1, 1}, specVector(1.0));
        assertArrayEquals(new int[] {-4, -3, -4, -1, 0, 1, 4, 3, 4}, specVector(4.0));
        assertArrayEquals(new int[] {-15, -15, -12, -7, 0, 7, 12, 15, 15}, specVector(16.0));
    }

    @Test
    void negativeCountsUseFloorNotTruncation()
    {
        final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(1, Activation.LINEAR, 1.0, 1.0, 1L);
        q.setVoltages(new double[] {0.25});
        final int[] counts = new int[1];
        q.step(new double[] {-0.5}, counts);         // v = -0.25: floor -1 (a (long) cast would give 0)
        assertEquals(-1, counts[0]);
        assertEquals(0.75, q.voltages()[0], 0.0);
        q.step(new double[] {-2.75}, counts);        // v = -2.0 exactly
        assertEquals(-2, counts[0]);
        assertEquals(0.0, q.voltages()[0], 0.0);
    }

    @Test
    void outputIsScaledCountAndStepReturnsNonZero()
    {
        // nine neurons stepped once from v_0 = 0.5 with dt = 4: n = floor(0.5 + 4·tanh(x))
        final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(9, Activation.TANH, 4.0, 2.0, 1L);
        final double[] half = new double[9];
        Arrays.fill(half, 0.5);
        q.setVoltages(half);
        final double[] out = new double[9];
        assertEquals(8, q.forward(LINSPACE, out));
        assertEquals(0.5, q.outputScale(), 0.0);
        for (int i = 0; i < 9; i++)
        {
            assertEquals(0.5 * Math.floor(0.5 + 4.0 * StrictMath.tanh(LINSPACE[i])), out[i], 0.0);
        }
        assertArrayEquals(new double[] {-2, -2, -1.5, -1, 0, 1, 1.5, 2, 2}, out, 0.0);
    }

    /** Σ n_t = v_0 + Σ dt_t·f(x_t) − v_T with v in [0,1), so |Σ n_t − Σ dt_t·f(x_t)| < 1 for every prefix. */
    @Test
    void errorDiffusionBoundHoldsForEveryPrefix()
    {
        final int size = 16;
        final int steps = 100_000;
        for (final Activation f : Activation.values())
        {
            for (final double dt : new double[] {0.05, 0.7, 3.0, 37.5})
            {
                final double amplitude = 1.7;
                final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(size, f, dt, amplitude, 42L);
                final double[] v0 = q.voltages().clone();
                final SplittableRandom random = new SplittableRandom(7L);
                final double[] x = new double[size];
                final int[] counts = new int[size];
                final long[] countSum = new long[size];
                final double[] ideal = new double[size];
                final double[] compensation = new double[size];
                double worst = 0.0;
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 0; i < size; i++)
                    {
                        x[i] = 3.0 * (2.0 * random.nextDouble() - 1.0);
                    }
                    q.step(x, counts);
                    for (int i = 0; i < size; i++)
                    {
                        countSum[i] += counts[i];
                        // Kahan-summed α·Σf(x): the bound is on exact sums, keep rounding far below it
                        final double y = amplitude * f.apply(x[i]) - compensation[i];
                        final double s = ideal[i] + y;
                        compensation[i] = (s - ideal[i]) - y;
                        ideal[i] = s;
                        final double error = Math.abs(amplitude * countSum[i] / dt - ideal[i]);
                        worst = Math.max(worst, error);
                        assertTrue(error < amplitude / dt, () -> f + " dt " + dt + ": error " + error + " >= " + amplitude / dt);
                    }
                }
                for (int i = 0; i < size; i++)
                {
                    // the identity itself: Σn = v_0 + dt·Σf − v_T
                    assertEquals(v0[i] + dt * ideal[i] / amplitude - q.voltages()[i], countSum[i], 1e-6);
                    assertTrue(q.voltages()[i] >= 0.0 && q.voltages()[i] < 1.0);
                }
                assertTrue(worst > 0.0);
            }
        }
    }

    @Test
    void dtAndAmplitudeCanChangeMidRun()
    {
        final int size = 8;
        final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(size, Activation.TANH, 1.0, 1.0, 3L);
        final SplittableRandom random = new SplittableRandom(11L);
        final double[] x = new double[size];
        final int[] counts = new int[size];
        final long[] countSum = new long[size];
        final double[] integrated = new double[size];      // Σ dt_t·f(x_t)
        for (int t = 0; t < 20_000; t++)
        {
            if (t % 97 == 0)
            {
                q.setDt(0.1 + 20.0 * random.nextDouble());
                q.setAmplitude(0.5 + random.nextDouble());
                assertEquals(q.amplitude() / q.dt(), q.outputScale(), 0.0);
            }
            for (int i = 0; i < size; i++)
            {
                x[i] = 2.0 * random.nextGaussian();
            }
            q.step(x, counts);
            for (int i = 0; i < size; i++)
            {
                countSum[i] += counts[i];
                integrated[i] += q.dt() * Activation.TANH.apply(x[i]);
                assertTrue(Math.abs(countSum[i] - integrated[i]) < 1.0 + 1e-9 * (t + 1));
            }
        }
    }

    @Test
    void atMostOneSignedSpikePerStepWhenDtTimesMaxFIsAtMostOne()
    {
        final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(4, Activation.TANH, 1.0, 1.0, 5L);
        final SplittableRandom random = new SplittableRandom(5L);
        final double[] x = new double[4];
        final int[] counts = new int[4];
        for (int t = 0; t < 10_000; t++)
        {
            for (int i = 0; i < 4; i++)
            {
                x[i] = 5.0 * random.nextGaussian();
            }
            q.step(x, counts);
            for (final int c : counts)
            {
                assertTrue(c >= -1 && c <= 1);
            }
        }
    }

    @Test
    void voltagesAreSeededUniform()
    {
        final SigmaDeltaQuantizer a = new SigmaDeltaQuantizer(1000, Activation.RELU, 1.0, 1.0, 9L);
        final SigmaDeltaQuantizer b = new SigmaDeltaQuantizer(1000, Activation.RELU, 1.0, 1.0, 9L);
        assertArrayEquals(a.voltages(), b.voltages(), 0.0);
        double mean = 0.0;
        for (final double v : a.voltages())
        {
            assertTrue(v >= 0.0 && v < 1.0);
            mean += v / 1000;
        }
        assertEquals(0.5, mean, 0.05);
        a.initVoltages(10L);
        assertTrue(a.voltages()[0] != b.voltages()[0]);
    }

    @Test
    void badArgumentsNameTheArgumentAndRange()
    {
        assertMessage(() -> new SigmaDeltaQuantizer(0, Activation.TANH, 1, 1, 1), "size must be >= 1");
        assertMessage(() -> new SigmaDeltaQuantizer(1, null, 1, 1, 1), "activation");
        assertMessage(() -> new SigmaDeltaQuantizer(1, Activation.TANH, 0, 1, 1), "dt must be finite and > 0");
        assertMessage(() -> new SigmaDeltaQuantizer(1, Activation.TANH, Double.NaN, 1, 1), "dt must be finite and > 0");
        assertMessage(() -> new SigmaDeltaQuantizer(1, Activation.TANH, 1, -1, 1), "amplitude must be finite and > 0");
        final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(3, Activation.TANH, 1, 1, 1);
        assertMessage(() -> q.setDt(Double.POSITIVE_INFINITY), "dt must be finite and > 0");
        assertMessage(() -> q.setAmplitude(0), "amplitude must be finite and > 0");
        assertMessage(() -> q.setVoltages(new double[] {0, 1.0, 0}), "v[1] must be in [0, 1)");
        assertMessage(() -> q.setVoltages(new double[2]), "v must have length 3");
        assertMessage(() -> q.step(new double[2], new int[3]), "x must have length 3");
        assertMessage(() -> q.step(new double[3], new int[4]), "counts must have length 3");
        assertMessage(() -> q.step(new double[] {0, 0, Double.NaN}, new int[3]), "neuron 2");
        assertMessage(() -> q.step(new double[] {Double.NEGATIVE_INFINITY, 0, 0}, new int[3]), "neuron 0");
        final SigmaDeltaQuantizer linear = new SigmaDeltaQuantizer(1, Activation.LINEAR, 1, 1, 1);
        assertMessage(() -> linear.step(new double[] {1e12}, new int[1]), "exceeds the int range");
    }

    static void assertMessage(final org.junit.jupiter.api.function.Executable call, final String expected)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void initialVoltagesAreSplittableRandomsDoublesAndAllocateNothing()
    {
        final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(257, Activation.TANH, 1.0, 1.0, 0);
        for (final long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE, Long.MAX_VALUE, 0x9e3779b97f4a7c15L})
        {
            q.initVoltages(seed);
            final SplittableRandom reference = new SplittableRandom(seed);
            for (int i = 0; i < q.size(); i++)
            {
                assertEquals(reference.nextDouble(), q.voltages()[i], "seed " + seed + " neuron " + i);
            }
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++)
        {
            q.initVoltages(i);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++)
        {
            q.initVoltages(i);
        }
        assertEquals(0, threads.getCurrentThreadAllocatedBytes() - before);
    }
}
