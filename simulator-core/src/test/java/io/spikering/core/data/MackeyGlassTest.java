package io.spikering.core.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MackeyGlassTest
{
    @Test
    void constantPastIsHeldUntilZeroAndFirstStepFollowsTheOdeWithConstantDelay()
    {
        final MackeyGlass mg = MackeyGlass.neuroBench();
        assertEquals(MackeyGlass.CONSTANT_PAST, mg.valueAt(0.0), 0.0);
        // for 0 <= t <= tau the delayed term is the constant c: x' = a − γx, a = βc/(1+c^n), closed form
        final double c = MackeyGlass.CONSTANT_PAST;
        final double a = MackeyGlass.BETA * c / (1 + Math.pow(c, MackeyGlass.N));
        for (final double t : new double[] {0.5, 3.3, 10.0, 16.9})
        {
            final double exact = a / MackeyGlass.GAMMA + (c - a / MackeyGlass.GAMMA) * Math.exp(-MackeyGlass.GAMMA * t);
            assertEquals(exact, mg.valueAt(t), 1e-11, "t=" + t);
        }
    }

    @Test
    void halvingTheStepChangesTheSeriesByLessThanTheChaoticGrowthOfRoundOff()
    {
        final MackeyGlass coarse = MackeyGlass.neuroBench();
        final MackeyGlass fine = coarse.refined(2);
        final double[] a = coarse.neuroBenchSeries(0);
        final double[] b = fine.neuroBenchSeries(0);
        // first 5 Lyapunov times: solver error (RK4 + cubic Hermite, O(h^4)) stays tiny
        double early = 0;
        for (int i = 0; i < 5 * 75; i++)
        {
            early = Math.max(early, Math.abs(a[i] - b[i]));
        }
        assertTrue(early < 1e-7, "max difference over 5 Lyapunov times " + early);
        // stays on the attractor: values in the known range of the τ=17 attractor
        for (final double v : a)
        {
            assertTrue(v > 0.2 && v < 1.5, "value " + v);
        }
    }

    @Test
    void seriesHasNeuroBenchLengthAndSampling()
    {
        final MackeyGlass mg = MackeyGlass.neuroBench();
        final double[] s = mg.neuroBenchSeries(37.5);
        assertEquals(1500, s.length);
        assertEquals(mg.valueAt(17 + 37.5 + 10 * 197.0 / 75), s[10], 0.0);
        assertEquals(197.0 / 75, mg.sampleInterval(), 0.0);
    }

    @Test
    void neuroBenchSeriesForEveryTau()
    {
        // τ = 17 is the default series, bit for bit
        assertArrayEquals(MackeyGlass.neuroBench().neuroBenchSeries(0), MackeyGlass.neuroBench(17).neuroBenchSeries(0), 0.0);
        final MackeyGlass mg = MackeyGlass.neuroBench(24);
        assertEquals(24.0, mg.tau());
        assertEquals(97.0, mg.lyapunovTime());
        assertEquals(0.3259660, mg.constantPast());
        assertEquals(97.0 / 75, mg.sampleInterval(), 0.0);
        assertEquals(0.025, mg.step(), 1e-15);
        final double[] s = mg.neuroBenchSeries(0);
        assertEquals(mg.valueAt(24 + 10 * (97.0 / 75)), s[10], 1e-12);
        for (int tau = MackeyGlass.MIN_TAU; tau <= MackeyGlass.MAX_TAU; tau++)
        {
            for (final double v : MackeyGlass.neuroBench(tau).neuroBenchSeries(0))
            {
                assertTrue(v > 0.1 && v < 1.6, "tau " + tau + ": value " + v); // the attractors' range
            }
        }
        assertThrows(IllegalArgumentException.class, () -> MackeyGlass.neuroBench(16));
        assertThrows(IllegalArgumentException.class, () -> MackeyGlass.neuroBench(31));
    }

    @Test
    void smapeMatchesNeuroBenchDefinition()
    {
        assertEquals(0.0, MackeyGlass.smape(new double[] {1, 2}, new double[] {1, 2}), 0.0);
        // |1.1-1|/(2.1) and |0-2|/(2) -> 200 * mean(0.047619..., 1) = 104.7619...
        assertEquals(200 * (0.1 / 2.1 + 1.0) / 2, MackeyGlass.smape(new double[] {1.1, 0}, new double[] {1, 2}), 1e-12);
        assertEquals(200.0, MackeyGlass.smape(new double[] {0}, new double[] {0}), 0.0);
        assertThrows(IllegalArgumentException.class, () -> MackeyGlass.smape(new double[1], new double[2]));
    }
}
