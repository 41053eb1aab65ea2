package io.spikering.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountHistogramTest
{
    @Test
    void meansByHand()
    {
        final CountHistogram h = new CountHistogram();
        h.add(0, 6);      // 6 zeros
        h.add(1);         // act 1(+1), sig 1, pop 1
        h.add(-3);        // act 2(+1), sig 2, pop 2
        h.add(4);         // act 3(+1), sig 1, pop 1
        h.add(12);        // act 4(+1), sig 2, pop 2
        assertEquals(10, h.total());
        assertEquals(4, h.nonZero());
        assertEquals(6, h.countOf(0));
        assertEquals(1, h.countOf(-3));
        assertEquals(0, h.countOf(3));
        assertEquals(10.0 / 10, h.meanActivityBits(false, false), 1e-15);
        assertEquals(20.0 / 10, h.meanActivityBits(true, false), 1e-15);
        assertEquals(10.0 / 4, h.meanActivityBits(false, true), 1e-15);
        assertEquals(14.0 / 4, h.meanActivityBits(true, true), 1e-15);
        assertEquals(6.0 / 4, h.meanSignificantBits(), 1e-15);
        assertEquals(6.0 / 4, h.meanPopcount(), 1e-15);
        h.clear();
        assertEquals(0, h.total());
        assertEquals(0.0, h.meanSignificantBits(), 0.0);
        assertEquals(0.0, h.meanActivityBits(true, false), 0.0);
    }

    /** Growth of the dense range, the side table for huge counts and merge agree with a direct per-value sum. */
    @Test
    void agreesWithDirectComputationAcrossRanges()
    {
        final SplittableRandom random = new SplittableRandom(3L);
        final CountHistogram a = new CountHistogram();
        final CountHistogram b = new CountHistogram();
        double act = 0;
        double sig = 0;
        double pop = 0;
        long nonZero = 0;
        final int n = 50_000;
        for (int i = 0; i < n; i++)
        {
            final long c;
            final int kind = random.nextInt(4);
            c = kind == 0 ? 0 : kind == 1 ? random.nextInt(-3, 4) : kind == 2 ? random.nextInt(-100_000, 100_000) : random.nextLong();
            (i % 2 == 0 ? a : b).add(c);
            act += BitMetrics.activityBits(c, true);
            sig += BitMetrics.significantBits(c);
            pop += BitMetrics.popcount(c);
            nonZero += c != 0 ? 1 : 0;
        }
        a.merge(b);
        assertEquals(n, a.total());
        assertEquals(nonZero, a.nonZero());
        assertEquals(act / n, a.meanActivityBits(true, false), 1e-9);
        assertEquals(sig / nonZero, a.meanSignificantBits(), 1e-9);
        assertEquals(pop / nonZero, a.meanPopcount(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> a.add(1, -1));
    }
}
