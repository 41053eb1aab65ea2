package io.spikering.neuron;

import static io.spikering.neuron.SigmaDeltaQuantizerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RateAndStochasticTest
{
    @Test
    void rateNeuronIsAmplitudeTimesF()
    {
        final RateNeuron rate = new RateNeuron(3, Activation.RELU, 2.0);
        final double[] out = new double[3];
        assertEquals(1, rate.forward(new double[] {-1.0, 0.0, 1.5}, out));
        assertArrayEquals(new double[] {0.0, 0.0, 3.0}, out, 0.0);
        assertMessage(() -> rate.forward(new double[] {0, Double.NaN, 0}, out), "neuron 1");
        assertMessage(() -> rate.forward(new double[2], out), "x must have length 3");
    }

    /** Sigma-delta output approaches the rate output as dt grows: the per-step error is below amplitude/dt. */
    @Test
    void sigmaDeltaInterpolatesTowardsRateAsDtGrows()
    {
        final SplittableRandom random = new SplittableRandom(1L);
        final double[] x = new double[64];
        for (int i = 0; i < x.length; i++)
        {
            x[i] = random.nextGaussian();
        }
        final double[] ideal = new double[64];
        new RateNeuron(64, Activation.TANH, 1.0).forward(x, ideal);
        for (final double dt : new double[] {1, 10, 100, 1000})
        {
            final ActivationLayer q = new SigmaDeltaQuantizer(64, Activation.TANH, dt, 1.0, 2L);
            final double[] out = new double[64];
            q.forward(x, out);
            for (int i = 0; i < 64; i++)
            {
                assertTrue(Math.abs(out[i] - ideal[i]) < 1.0 / dt);
            }
        }
    }

    @Test
    void stochasticRoundingIsUnbiasedAdjacentAndSeeded()
    {
        final double[] x = {-1.2, 0.3, 0.9, 2.0};
        final double dt = 2.5;
        final StochasticQuantizer q = new StochasticQuantizer(4, Activation.TANH, dt, 1.0, 99L);
        final int[] counts = new int[4];
        final long[] sums = new long[4];
        final int steps = 200_000;
        final int[] firstCounts = new int[4];
        for (int t = 0; t < steps; t++)
        {
            q.step(x, counts);
            if (t == 0)
            {
                System.arraycopy(counts, 0, firstCounts, 0, 4);
            }
            for (int i = 0; i < 4; i++)
            {
                final double r = dt * StrictMath.tanh(x[i]);
                assertTrue(counts[i] == Math.floor(r) || counts[i] == Math.floor(r) + 1);
                sums[i] += counts[i];
            }
        }
        for (int i = 0; i < 4; i++)
        {
            // n - r has variance p(1-p) <= 1/4: the standard error of the mean is <= 0.5/sqrt(steps) ≈ 0.0011
            assertEquals(dt * StrictMath.tanh(x[i]), (double)sums[i] / steps, 0.006);
        }
        final StochasticQuantizer again = new StochasticQuantizer(4, Activation.TANH, dt, 1.0, 99L);
        again.step(x, counts);
        assertArrayEquals(firstCounts, counts);
        assertEquals(1.0 / dt, q.outputScale(), 0.0);
        assertMessage(() -> q.step(new double[] {0, 0, Double.POSITIVE_INFINITY, 0}, counts), "neuron 2");
        assertMessage(() -> q.setDt(-1), "dt must be finite and > 0");
    }

    /** The reason for sigma-delta: its cumulative error stays below 1/dt while stochastic rounding's grows. */
    @Test
    void sigmaDeltaCumulativeErrorIsFarBelowStochastic()
    {
        final double dt = 1.0;
        final CountQuantizer sd = new SigmaDeltaQuantizer(1, Activation.TANH, dt, 1.0, 4L);
        final CountQuantizer st = new StochasticQuantizer(1, Activation.TANH, dt, 1.0, 4L);
        final double[] x = {0.4};
        final int[] c = new int[1];
        long sdSum = 0;
        long stSum = 0;
        final int steps = 100_000;
        for (int t = 0; t < steps; t++)
        {
            sd.step(x, c);
            sdSum += c[0];
            st.step(x, c);
            stSum += c[0];
        }
        final double ideal = steps * dt * StrictMath.tanh(0.4);
        assertTrue(Math.abs(sdSum - ideal) < 1.0);
        assertTrue(Math.abs(stSum - ideal) > 1.0, "stochastic rounding's random walk (sd ≈ 150 counts) should exceed 1");
    }
}
