package io.spikering.neuron;

import static io.spikering.neuron.SigmaDeltaQuantizerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CubaLifTest
{
    /** Like CUBA but resting far below threshold, so single pulses stay subthreshold. */
    private static final CubaLif.Parameters QUIET = new CubaLif.Parameters(20.0, 200.0, -70.0, -50.0, -60.0, 5.0, 5.0, 10.0);

    /** Closed-form solution of τm·dV/dt = −(V − E_L) + τm·I(t)/Cm with I a sum of decaying exponential pulses. */
    private static double closedForm(final CubaLif.Parameters p, final double v0, final double t,
        final double[] pulseTimes, final double[] pulseWeights, final double[] pulseTaus)
    {
        double v = p.eLMv() + (v0 - p.eLMv()) * Math.exp(-t / p.tauMs());
        for (int k = 0; k < pulseTimes.length; k++)
        {
            final double s = t - pulseTimes[k];
            if (s >= 0)
            {
                final double ts = pulseTaus[k];
                v += pulseWeights[k] / p.cmPf() * ts * p.tauMs() / (p.tauMs() - ts)
                    * (Math.exp(-s / p.tauMs()) - Math.exp(-s / ts));
            }
        }
        return v;
    }

    @Test
    void subthresholdResponseMatchesClosedFormAndFineRk4()
    {
        final double h = 0.1;
        final CubaLif lif = new CubaLif(1, QUIET, h);
        lif.setMembrane(0, -65.0);
        final double[] ex = new double[1];
        final double[] in = new double[1];
        final int[] spikes = new int[1];
        // pulses arriving at step s act from t = (s+1)·h on (after step k the state is at t = (k+1)·h)
        final double[] times = {1 * h, 31 * h};
        final double[] weights = {400.0, -250.0};
        final double[] taus = {QUIET.tauExMs(), QUIET.tauInMs()};
        double maxResponse = 0.0;
        for (int k = 0; k < 2000; k++)
        {
            ex[0] = k == 0 ? weights[0] : 0.0;
            in[0] = k == 30 ? weights[1] : 0.0;
            assertEquals(0, lif.step(ex, in, spikes));
            final double t = (k + 1) * h;
            final double expected = closedForm(QUIET, -65.0, t, times, weights, taus);
            assertEquals(expected, lif.membrane()[0], 1e-10, "t=" + t);
            maxResponse = Math.max(maxResponse, lif.membrane()[0] - closedForm(QUIET, -65.0, t, new double[0], new double[0], new double[0]));
        }
        assertTrue(maxResponse > 0.5, "the pulse must move the membrane visibly, got " + maxResponse);

        // independent check of the propagators: RK4 with 1000 sub-steps per step on the ODE itself
        final CubaLif one = new CubaLif(1, QUIET, h);
        one.setMembrane(0, -65.0);
        double v = -65.0;
        double iEx = 0.0;
        for (int k = 0; k < 300; k++)
        {
            final double[] y = {v, iEx};
            final int sub = 1000;
            final double dt = h / sub;
            for (int j = 0; j < sub; j++)
            {
                final double[] k1 = derivative(y[0], y[1]);
                final double[] k2 = derivative(y[0] + dt / 2 * k1[0], y[1] + dt / 2 * k1[1]);
                final double[] k3 = derivative(y[0] + dt / 2 * k2[0], y[1] + dt / 2 * k2[1]);
                final double[] k4 = derivative(y[0] + dt * k3[0], y[1] + dt * k3[1]);
                y[0] += dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
                y[1] += dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
            }
            v = y[0];
            iEx = y[1] + (k == 0 ? 400.0 : 0.0);
            ex[0] = k == 0 ? 400.0 : 0.0;
            in[0] = 0.0;
            one.step(ex, in, spikes);
            assertEquals(v, one.membrane()[0], 1e-9);
        }
    }

    private static double[] derivative(final double v, final double iEx)
    {
        return new double[] {-(v - QUIET.eLMv()) / QUIET.tauMs() + iEx / QUIET.cmPf(), -iEx / QUIET.tauExMs()};
    }

    @Test
    void equalTimeConstantsUseTheLimitingPropagator()
    {
        final double equal = CubaLif.currentToVoltage(20.0, 20.0, 200.0, 0.1);
        final double near = CubaLif.currentToVoltage(20.0 * (1 + 1e-9), 20.0, 200.0, 0.1);
        // continuity: a relative change of 1e-9 in τs moves P21 by ~h/(2τ)·1e-9 ≈ 2.5e-12 relative, not more
        assertEquals(equal, near, 1e-11 * equal);
        assertEquals(0.1 / 200.0 * Math.exp(-0.1 / 20.0), equal, 1e-18);
        // well-conditioned case: the stable form equals NEST's textbook expression
        final double textbook = 5.0 * 20.0 / (200.0 * 15.0) * (Math.exp(-0.1 / 20.0) - Math.exp(-0.1 / 5.0));
        assertEquals(textbook, CubaLif.currentToVoltage(5.0, 20.0, 200.0, 0.1), 1e-12 * textbook);
    }

    /**
     * CUBA's E_L (−49 mV) lies above V_th (−50 mV): with no input V relaxes from V_reset towards E_L and crosses
     * V_th after t* = τm·ln((E_L − V_reset)/(E_L − V_th)) = 20·ln 11 ≈ 47.96 ms. Stepped, the ISI is the refractory
     * steps plus the first whole step at or after t*: round(t_ref/h) + ⌈t_cross/h⌉.
     */
    @Test
    void tonicFiringPeriodMatchesAnalyticIsi()
    {
        for (final double h : new double[] {0.1, 0.25, 1.0})
        {
            final CubaLif.Parameters p = CubaLif.Parameters.cuba();
            final CubaLif lif = new CubaLif(1, p, h);
            final double tStar = p.tauMs() * Math.log((p.eLMv() - p.vResetMv()) / (p.eLMv() - p.vThMv()));
            final int expectedIsi = (int)Math.round(p.tRefMs() / h) + (int)Math.ceil(tStar / h);
            final double[] zero = new double[1];
            final int[] spikes = new int[1];
            int last = -1;
            int count = 0;
            for (int k = 0; k < (int)(1000 / h); k++)
            {
                if (lif.step(zero, zero, spikes) == 1)
                {
                    if (last >= 0)
                    {
                        assertEquals(expectedIsi, k - last, "h=" + h);
                    }
                    else
                    {
                        assertEquals(0, k, "starting at E_L = -49 mV, above threshold, it fires at once");
                    }
                    last = k;
                    count++;
                }
            }
            assertEquals(1 + (int)((1000 / h - 1) / expectedIsi), count);
            assertEquals(p.tRefMs() + tStar, expectedIsi * h, h);
        }
    }

    @Test
    void refractoryNeuronHoldsResetThenIntegratesTheCurrentItReceived()
    {
        final CubaLif.Parameters p = CubaLif.Parameters.cuba();
        final double h = 0.1;
        final CubaLif lif = new CubaLif(2, p, h);
        assertEquals(50, lif.refractorySteps());
        final int[] spikes = new int[2];
        final double[] ex = new double[2];
        final double[] in = new double[2];
        assertEquals(2, lif.step(ex, in, spikes));
        assertEquals(0, spikes[0]);
        assertEquals(1, spikes[1]);
        for (int k = 1; k <= 50; k++)
        {
            ex[0] = 10_000.0;          // strong drive that would fire a free neuron within a step
            assertEquals(0, lif.step(ex, in, spikes), "refractory at step " + k);
            assertEquals(p.vResetMv(), lif.membrane()[0], 0.0);
            assertEquals(p.vResetMv(), lif.membrane()[1], 0.0);
        }
        ex[0] = 0.0;
        assertEquals(1, lif.step(ex, in, spikes));     // the accumulated current fires neuron 0 at once
        assertEquals(0, spikes[0]);
        assertTrue(lif.membrane()[1] > p.vResetMv());  // neuron 1 left refractoriness and relaxes towards E_L
        assertEquals(p.vResetMv(), lif.membrane()[0], 0.0);
    }

    @Test
    void badArgumentsAreRejected()
    {
        assertMessage(() -> new CubaLif(0, CubaLif.Parameters.cuba(), 0.1), "size must be >= 1");
        assertMessage(() -> new CubaLif(1, CubaLif.Parameters.cuba(), 0.0), "dtMs must be finite and > 0");
        assertMessage(() -> new CubaLif(1, null, 0.1), "Parameters.cuba()");
        assertMessage(() -> new CubaLif.Parameters(-1, 200, -49, -50, -60, 5, 5, 10), "tauMs must be finite and > 0");
        assertMessage(() -> new CubaLif.Parameters(20, 200, -49, -50, -40, 5, 5, 10), "vResetMv (-40.0) must be below vThMv");
        assertMessage(() -> new CubaLif.Parameters(20, 200, -49, -50, -60, -5, 5, 10), "tRefMs must be finite and >= 0");
        final CubaLif lif = new CubaLif(2, CubaLif.Parameters.cuba(), 0.1);
        assertMessage(() -> lif.step(new double[] {0, Double.NaN}, new double[2], new int[2]), "exInput[1]");
        assertMessage(() -> lif.step(new double[2], new double[] {Double.NEGATIVE_INFINITY, 0}, new int[2]), "inInput[0]");
        assertMessage(() -> lif.step(new double[3], new double[2], new int[2]), "exInput must have length 2");
        assertMessage(() -> lif.step(new double[2], new double[2], new int[1]), "spikes must have length >= 2");
        assertMessage(() -> lif.setMembrane(2, -50), "i must be in [0, 2)");
    }
}
