package io.spikering.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadsTest
{
    @Test
    void activeUnitsAreDistinctAscendingAndSeeded()
    {
        final int[] u = Workloads.activeUnits(1024, 100, 5);
        assertEquals(100, u.length);
        for (int i = 1; i < u.length; i++)
        {
            assertTrue(u[i] > u[i - 1]);
        }
        assertEquals(java.util.Arrays.toString(u), java.util.Arrays.toString(Workloads.activeUnits(1024, 100, 5)));
        assertThrows(IllegalArgumentException.class, () -> Workloads.activeUnits(10, 11, 1));
    }

    @Test
    void countVectorHasTheActiveShareAndTheMeanCount()
    {
        final int[] unit = EventVsDenseBenchmark.countVector(20, "unit", 3);
        final int[] geo = EventVsDenseBenchmark.countVector(50, "geometric4", 3);
        long active = 0;
        for (final int c : unit)
        {
            active += c != 0 ? 1 : 0;
            assertTrue(Math.abs(c) <= 1);
        }
        assertEquals(Math.round(1024 * 0.2), active);
        double sum = 0;
        int n = 0;
        for (final int c : geo)
        {
            if (c != 0)
            {
                sum += Math.abs(c);
                n++;
            }
        }
        assertEquals(512, n);
        assertEquals(4.0, sum / n, 0.5, "geometric counts with mean 4 (cut at 32)");
        assertThrows(IllegalArgumentException.class, () -> EventVsDenseBenchmark.countVector(10, "poisson", 1));
    }
}
