package io.spikering.core.engine;

import java.util.Arrays;

/**
 * Input ring of one population port: a power-of-two number of slots, each a row of input sums. A projection with
 * delay d adds into slot (step + d); the population reads slot (step) and clears it (read-and-clear, as NEST).
 */
final class DelayRing
{
    final double[][] slots;
    final int mask;

    DelayRing(final int width, final int maxDelay)
    {
        final int size = maxDelay == 0 ? 1 : Integer.highestOneBit(maxDelay) << 1;
        slots = new double[size][width];
        mask = size - 1;
    }

    double[] slot(final long step)
    {
        return slots[(int)(step & mask)];
    }

    void clear()
    {
        for (final double[] slot : slots)
        {
            Arrays.fill(slot, 0.0);
        }
    }
}
