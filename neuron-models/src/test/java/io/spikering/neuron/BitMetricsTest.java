package io.spikering.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BitMetricsTest
{
    @Test
    void activityBitsByHand()
    {
        assertEquals(0, BitMetrics.activityBits(0, false));
        assertEquals(1, BitMetrics.activityBits(0, true));
        assertEquals(1, BitMetrics.activityBits(1, false));
        assertEquals(2, BitMetrics.activityBits(-1, true));
        assertEquals(2, BitMetrics.activityBits(2, false));
        assertEquals(2, BitMetrics.activityBits(3, false));
        assertEquals(3, BitMetrics.activityBits(4, false));
        assertEquals(4, BitMetrics.activityBits(-7, true));
        assertEquals(4, BitMetrics.activityBits(15, false));
        assertEquals(5, BitMetrics.activityBits(16, false));
        assertEquals(64, BitMetrics.activityBits(Long.MIN_VALUE, false));
        for (long n = -5000; n <= 5000; n++)
        {
            // ⌈log2(|n|+1)⌉ by its definition
            final int expected = (int)Math.ceil(Math.log(Math.abs(n) + 1) / Math.log(2) - 1e-12);
            assertEquals(expected, BitMetrics.activityBits(n, false), "n=" + n);
        }
    }

    @Test
    void significantBitsAndPopcountByHand()
    {
        assertEquals(0, BitMetrics.significantBits(0));
        assertEquals(1, BitMetrics.significantBits(1));
        assertEquals(1, BitMetrics.significantBits(-8));
        assertEquals(2, BitMetrics.significantBits(3));
        assertEquals(2, BitMetrics.significantBits(-12));   // 1100 -> 11
        assertEquals(3, BitMetrics.significantBits(5 * 16)); // 101_0000 -> 101
        assertEquals(3, BitMetrics.significantBits(7));
        assertEquals(1, BitMetrics.significantBits(Long.MIN_VALUE));
        assertEquals(0, BitMetrics.popcount(0));
        assertEquals(2, BitMetrics.popcount(-5));
        assertEquals(2, BitMetrics.popcount(80));
        assertEquals(3, BitMetrics.popcount(7));
        assertEquals(1, BitMetrics.popcount(Long.MIN_VALUE));
    }
}
