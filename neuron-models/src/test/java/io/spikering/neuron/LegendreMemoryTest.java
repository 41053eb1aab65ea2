package io.spikering.neuron;

import static io.spikering.neuron.MatrixExpTest.assertMatrix;
import static io.spikering.neuron.SigmaDeltaQuantizerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LegendreMemoryTest
{
    @Test
    void order4Theta10MatchesTheSpecReference()
    {
        final LegendreMemory lmu = LegendreMemory.zoh(4, 10.0);
        assertMatrix(new double[][] {{-0.1, -0.1, -0.1, -0.1}, {0.3, -0.3, -0.3, -0.3}, {-0.5, 0.5, -0.5, -0.5},
            {0.7, -0.7, 0.7, -0.7}}, lmu.continuousA(), 1e-15);
        assertArrayEquals(new double[] {0.1, -0.3, 0.5, -0.7}, lmu.continuousB(), 1e-15);
        assertMatrix(new double[][] {
            {0.894224525, -0.0836586927, -0.0795761511, -0.039790354},
            {0.2509760782, 0.7228245979, -0.2650494565, -0.1364221179},
            {-0.3978807555, 0.4417490942, 0.4613659603, -0.2908284404},
            {0.278532478, -0.3183182751, 0.4071598166, 0.4338761257}}, lmu.a(), 1e-9);
        assertArrayEquals(new double[] {0.105775475, -0.2509760782, 0.3978807555, -0.278532478}, lmu.b(), 1e-9);
    }

    /** Order 1: ṁ = −m/θ + u/θ, so Ā = e^(−1/θ) and B̄ = A⁻¹(Ā − 1)B = 1 − e^(−1/θ). */
    @Test
    void scalarZohMatchesClosedForm()
    {
        for (final double theta : new double[] {0.05, 0.7, 3.0, 784.0})
        {
            final LegendreMemory lmu = LegendreMemory.zoh(1, theta);
            assertEquals(Math.exp(-1 / theta), lmu.a()[0][0], 1e-15);
            assertEquals(-Math.expm1(-1 / theta), lmu.b()[0], 1e-15);
        }
    }

    /** ZOH is exact for held inputs: B̄ = ∫₀¹ e^(As) ds·B, checked by Simpson quadrature of expm(A·s)·B. */
    @Test
    void zohInputMatrixIsTheIntegralOfTheStateTransition()
    {
        final LegendreMemory lmu = LegendreMemory.zoh(6, 9.0);
        final double[][] a = lmu.continuousA();
        final double[] b = lmu.continuousB();
        final int intervals = 200;
        final double[] integral = new double[6];
        for (int k = 0; k <= intervals; k++)
        {
            final double s = (double)k / intervals;
            final double weight = (k == 0 || k == intervals ? 1 : (k % 2 == 1 ? 4 : 2)) / (3.0 * intervals);
            final double[][] as = new double[6][6];
            for (int i = 0; i < 6; i++)
            {
                for (int j = 0; j < 6; j++)
                {
                    as[i][j] = a[i][j] * s;
                }
            }
            final double[][] e = MatrixExp.expm(as);
            for (int i = 0; i < 6; i++)
            {
                for (int j = 0; j < 6; j++)
                {
                    integral[i] += weight * e[i][j] * b[j];
                }
            }
        }
        assertArrayEquals(integral, lmu.b(), 1e-10);
        assertMatrix(MatrixExp.expm(a), lmu.a(), 1e-15);
    }

    /**
     * psMNIST size (order 256, θ = 784, ‖A‖₁ ≈ 84, so expm scales by 2^5): Ā = e^A commutes with A, and ZOH's
     * B̄ = A⁻¹(Ā − I)B satisfies A·B̄ = (Ā − I)·B; both residuals are checked relative to the entries' scale.
     */
    @Test
    void largeOrderZohIsSelfConsistent()
    {
        final LegendreMemory lmu = LegendreMemory.zoh(256, 784.0);
        final double[][] a = lmu.continuousA();
        final double[][] ad = lmu.a();
        final double[][] left = MatrixExp.multiply(a, ad);
        final double[][] right = MatrixExp.multiply(ad, a);
        double worstCommute = 0.0;
        double worstB = 0.0;
        final double[] bd = lmu.b();
        final double[] b = lmu.continuousB();
        for (int i = 0; i < 256; i++)
        {
            double abd = 0.0;
            double rhs = 0.0;
            for (int j = 0; j < 256; j++)
            {
                worstCommute = Math.max(worstCommute, Math.abs(left[i][j] - right[i][j]));
                abd += a[i][j] * bd[j];
                rhs += (ad[i][j] - (i == j ? 1.0 : 0.0)) * b[j];
            }
            worstB = Math.max(worstB, Math.abs(abd - rhs));
        }
        System.out.println("LMU order 256, θ=784: max |AĀ − ĀA| " + worstCommute + ", max |AB̄ − (Ā − I)B| " + worstB);
        assertTrue(worstCommute < 1e-10, "A·Ā − Ā·A max entry " + worstCommute);
        assertTrue(worstB < 1e-10, "A·B̄ − (Ā − I)·B max entry " + worstB);
    }

    @Test
    void eulerIsIdentityPlusA()
    {
        final LegendreMemory lmu = LegendreMemory.euler(5, 40.0);
        final double[][] expected = lmu.continuousA();
        for (int i = 0; i < 5; i++)
        {
            expected[i][i] += 1.0;
        }
        assertMatrix(expected, lmu.a(), 0.0);
        assertArrayEquals(lmu.continuousB(), lmu.b(), 0.0);
        assertEquals(LegendreMemory.Method.EULER, lmu.method());
    }

    @Test
    void impulseResponseIsConsistentWithStepping()
    {
        final LegendreMemory lmu = LegendreMemory.zoh(8, 30.0);
        final int steps = 120;
        final double[][] h = lmu.impulseResponse(steps);
        final SplittableRandom random = new SplittableRandom(2L);
        final double[] u = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            u[t] = random.nextGaussian();
        }
        final double[] m = new double[8];
        final double[] scratch = new double[8];
        for (int t = 0; t < steps; t++)
        {
            lmu.step(m, u[t], scratch);
            final double[] convolved = new double[8];
            for (int k = 0; k <= t; k++)
            {
                for (int i = 0; i < 8; i++)
                {
                    convolved[i] += h[k][i] * u[t - k];
                }
            }
            assertArrayEquals(convolved, m, 1e-12);
        }
        assertArrayEquals(lmu.b(), h[0], 0.0);
    }

    /**
     * The memory remembers: a smooth random signal (sum of 6 sines, periods ≥ θ) fed into an order-12, θ = 100 memory
     * is decoded at every delay θ' in [0, θ] as Σ P̃_i(θ'/θ)·m_i. The ZOH memory sees u_t held over (t−1, t], a
     * staircase that leads the smooth signal by half a step, so delay θ' is compared with the signal at
     * t − θ' + 1/2 (without that correction the error is a uniform ≈2.8%, the half-step slope). Measured relative
     * RMS errors: ≤ 0.045% for 0 &lt; θ' &lt; θ, 0.33% at θ' = 0 and 0.023% at θ' = θ (Padé edge effects).
     * Decoding with the argument reversed (P̃_i(1 − θ'/θ)) fails, which pins the sign convention.
     */
    @Test
    void decodesTheDelayedSignalAcrossTheWindow()
    {
        final int order = 12;
        final double theta = 100.0;
        final LegendreMemory lmu = LegendreMemory.zoh(order, theta);
        final SplittableRandom random = new SplittableRandom(12L);
        final int sines = 6;
        final double[] freq = new double[sines];
        final double[] phase = new double[sines];
        final double[] amp = new double[sines];
        for (int k = 0; k < sines; k++)
        {
            freq[k] = 2 * Math.PI * random.nextDouble() / theta;     // at most one cycle per window
            phase[k] = 2 * Math.PI * random.nextDouble();
            amp[k] = random.nextGaussian() / Math.sqrt(sines / 2.0);
        }
        final int steps = 3000;
        final double[] m = new double[order];
        final double[] scratch = new double[order];
        final int delays = 21;
        final double[] squaredError = new double[delays];
        double squaredSignal = 0.0;
        double squaredReversedError = 0.0;
        int samples = 0;
        for (int t = 0; t < steps; t++)
        {
            lmu.step(m, signal(t, freq, phase, amp), scratch);
            if (t >= 5 * theta)
            {
                samples++;
                squaredSignal += signal(t, freq, phase, amp) * signal(t, freq, phase, amp);
                for (int k = 0; k < delays; k++)
                {
                    final double thetaPrime = theta * k / (delays - 1);
                    final double expected = signal(t - thetaPrime + 0.5, freq, phase, amp);
                    final double error = lmu.decode(m, thetaPrime) - expected;
                    squaredError[k] += error * error;
                    if (k == 5)
                    {
                        final double reversed = lmu.decode(m, theta - thetaPrime) - expected;
                        squaredReversedError += reversed * reversed;
                    }
                }
            }
        }
        final double signalRms = Math.sqrt(squaredSignal / samples);
        assertTrue(signalRms > 0.3, "signal RMS " + signalRms);
        double worstInterior = 0.0;
        for (int k = 0; k < delays; k++)
        {
            final double relativeRms = Math.sqrt(squaredError[k] / samples) / signalRms;
            if (k == 0 || k == delays - 1)
            {
                assertTrue(relativeRms < 0.01, "θ'/θ = " + k / (delays - 1.0) + ": relative RMS error " + relativeRms);
            }
            else
            {
                worstInterior = Math.max(worstInterior, relativeRms);
            }
        }
        assertTrue(worstInterior < 0.001, "worst interior relative RMS error " + worstInterior);
        assertTrue(Math.sqrt(squaredReversedError / samples) / signalRms > 0.1, "reversed decoding must not work");
        System.out.println("LMU order 12, θ=100: worst interior relative RMS decode error " + worstInterior);
    }

    private static double signal(final double t, final double[] freq, final double[] phase, final double[] amp)
    {
        double s = 0.0;
        for (int k = 0; k < freq.length; k++)
        {
            s += amp[k] * Math.sin(freq[k] * t + phase[k]);
        }
        return s;
    }

    @Test
    void shiftedLegendreValues()
    {
        for (final double x : new double[] {0.0, 0.13, 0.5, 0.77, 1.0})
        {
            assertEquals(1.0, ShiftedLegendre.value(0, x), 0.0);
            assertEquals(2 * x - 1, ShiftedLegendre.value(1, x), 1e-15);
            assertEquals(6 * x * x - 6 * x + 1, ShiftedLegendre.value(2, x), 1e-14);
            assertEquals(20 * x * x * x - 30 * x * x + 12 * x - 1, ShiftedLegendre.value(3, x), 1e-14);
        }
        for (int i = 0; i < 30; i++)
        {
            assertEquals(i % 2 == 0 ? 1.0 : -1.0, ShiftedLegendre.value(i, 0.0), 1e-12);
            assertEquals(1.0, ShiftedLegendre.value(i, 1.0), 1e-12);
        }
        assertMessage(() -> ShiftedLegendre.value(-1, 0.5), "i (polynomial degree) must be >= 0");
        assertMessage(() -> ShiftedLegendre.value(2, 1.5), "x must be in [0, 1]");
        assertMessage(() -> ShiftedLegendre.value(2, Double.NaN), "x must be in [0, 1]");
    }

    @Test
    void badArgumentsAreRejected()
    {
        assertMessage(() -> LegendreMemory.zoh(0, 10), "order must be in [1, 4096], got 0");
        assertMessage(() -> LegendreMemory.euler(-3, 10), "order must be in [1, 4096], got -3");
        // refused before the d x d arrays are allocated (order 100000 would need 80 GB each)
        assertMessage(() -> LegendreMemory.zoh(100_000, 10), "order must be in [1, 4096], got 100000");
        assertMessage(() -> LegendreMemory.zoh(4, 0), "theta (window length in steps) must be finite and > 0");
        assertMessage(() -> LegendreMemory.zoh(4, Double.NaN), "theta");
        assertMessage(() -> LegendreMemory.zoh(4, Double.POSITIVE_INFINITY), "theta");
        assertMessage(() -> LegendreMemory.Method.parse("rk4"), "expected zoh or euler");
        final LegendreMemory lmu = LegendreMemory.zoh(4, 10);
        assertMessage(() -> lmu.impulseResponse(0), "steps must be >= 1");
        assertMessage(() -> lmu.step(new double[4], Double.NaN, new double[4]), "u must be finite");
        assertMessage(() -> lmu.decode(new double[4], 11), "thetaPrime must be in [0, theta=10.0]");
    }
}
