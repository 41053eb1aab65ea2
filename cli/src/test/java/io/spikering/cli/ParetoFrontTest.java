package io.spikering.cli;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParetoFrontTest
{
    @Test
    void frontByHandWithTiesAndDuplicates()
    {
        //                      A     B     C     D     E (= B) F     G     H
        final double[] acc = {0.90, 0.95, 0.90, 0.80, 0.95, 0.95, 0.85, 0.97};
        final double[] e = {1.0, 2.0, 2.0, 0.5, 2.0, 3.0, 1.0, 9.0};
        // C: same accuracy as A at more energy; F: same accuracy as B at more energy; G: same energy as A, less accurate;
        // B and E are the same point and do not dominate each other; D is cheapest, H most accurate
        assertArrayEquals(new boolean[] {true, true, false, true, true, false, false, true}, ParetoFront.onFront(acc, e));
    }

    @Test
    void smallCases()
    {
        assertEquals(0, ParetoFront.onFront(new double[0], new double[0]).length);
        assertArrayEquals(new boolean[] {true}, ParetoFront.onFront(new double[] {0.5}, new double[] {7}));
        assertArrayEquals(new boolean[] {true, true, true}, ParetoFront.onFront(new double[] {0.5, 0.5, 0.5}, new double[] {7, 7, 7}));
        // more accurate and cheaper dominates; equal in one, better in the other dominates; the reverse does not
        assertTrue(ParetoFront.dominates(0.9, 1, 0.8, 2));
        assertTrue(ParetoFront.dominates(0.9, 1, 0.9, 2));
        assertTrue(ParetoFront.dominates(0.9, 1, 0.8, 1));
        assertFalse(ParetoFront.dominates(0.9, 1, 0.9, 1));
        assertFalse(ParetoFront.dominates(0.9, 2, 0.8, 1));
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.onFront(new double[] {Double.NaN}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.onFront(new double[] {1, 2}, new double[] {1}));
    }

    /**
     * On random points from a coarse grid (many ties and duplicates): no front point is dominated by any point, every other
     * point is dominated by a front point, and the front does not depend on the order of the points.
     */
    @Test
    void randomGridsSatisfyTheDefinition()
    {
        final Random rnd = new Random(11);
        for (int trial = 0; trial < 500; trial++)
        {
            final int n = 1 + rnd.nextInt(12);
            final double[] acc = new double[n];
            final double[] e = new double[n];
            for (int i = 0; i < n; i++)
            {
                acc[i] = rnd.nextInt(4) / 4.0;
                e[i] = 1 + rnd.nextInt(4);
            }
            final boolean[] front = ParetoFront.onFront(acc, e);
            for (int i = 0; i < n; i++)
            {
                boolean dominatedByAny = false;
                boolean dominatedByFront = false;
                for (int j = 0; j < n; j++)
                {
                    final boolean d = acc[j] >= acc[i] && e[j] <= e[i] && (acc[j] != acc[i] || e[j] != e[i]);
                    dominatedByAny |= d;
                    dominatedByFront |= d && front[j];
                }
                assertEquals(!dominatedByAny, front[i], "trial " + trial + " point " + i);
                assertEquals(!front[i], dominatedByFront, "trial " + trial + " point " + i + ": a dominated point has a dominator on the front");
            }
            final double[] accR = new double[n];
            final double[] eR = new double[n];
            for (int i = 0; i < n; i++)
            {
                accR[i] = acc[n - 1 - i];
                eR[i] = e[n - 1 - i];
            }
            final boolean[] frontR = ParetoFront.onFront(accR, eR);
            for (int i = 0; i < n; i++)
            {
                assertEquals(front[i], frontR[n - 1 - i]);
            }
        }
    }
}
