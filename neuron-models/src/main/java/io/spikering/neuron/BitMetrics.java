package io.spikering.neuron;

/**
 * Bit metrics of one integer spike count n (our chosen definitions; the paper's exact formulas are unknown, see
 * docs/neuron-models.md):
 * <ul>
 *   <li>activity bits: ⌈log2(|n|+1)⌉ (the bit length of |n|), plus one sign bit if counts can be negative;</li>
 *   <li>significant bits: the bit length of |n| with its trailing zeros removed (shifted adds needed to multiply a
 *       weight by n when each add handles one odd factor), 0 for n = 0;</li>
 *   <li>popcount: the number of one bits of |n| (adds in plain shift-and-add).</li>
 * </ul>
 */
public final class BitMetrics
{
    private BitMetrics()
    {
    }

    /** ⌈log2(|n|+1)⌉ + (signed ? 1 : 0); for n = 0 that is 0 (+1 sign bit). */
    public static int activityBits(final long n, final boolean signed)
    {
        return bitLength(magnitude(n)) + (signed ? 1 : 0);
    }

    /** Bit length of |n| after removing trailing zeros; 0 for n = 0. */
    public static int significantBits(final long n)
    {
        final long m = magnitude(n);
        return m == 0 ? 0 : bitLength(m >>> Long.numberOfTrailingZeros(m));
    }

    /** Number of one bits of |n|. */
    public static int popcount(final long n)
    {
        return Long.bitCount(magnitude(n));
    }

    /** |n| as an unsigned 64-bit value (|Long.MIN_VALUE| = 2^63). */
    private static long magnitude(final long n)
    {
        return n < 0 ? -n : n;
    }

    private static int bitLength(final long unsigned)
    {
        return 64 - Long.numberOfLeadingZeros(unsigned);
    }
}
