package io.spikering.core.data;

/**
 * The Mersenne Twister MT19937 (Matsumoto &amp; Nishimura 1998), seeded with {@code init_genrand} as in
 * the reference code and in numpy's legacy {@code RandomState(seed)}. Used to reproduce numpy
 * permutations bit for bit; not a general-purpose random source for this project.
 */
public final class Mt19937
{
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;

    /** Seeds with {@code init_genrand(seed)}; the seed must fit in 32 unsigned bits, as numpy requires. */
    public Mt19937(final long seed)
    {
        if (seed < 0 || seed > 0xffffffffL)
        {
            throw new IllegalArgumentException("MT19937 seed " + seed + " is outside [0, 2^32 - 1]");
        }
        mt[0] = (int)seed;
        for (int i = 1; i < N; i++)
        {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** Next 32-bit output as an unsigned value in [0, 2^32). */
    public long nextUnsignedInt()
    {
        return nextInt() & 0xffffffffL;
    }

    /** Next 32-bit output ({@code genrand_int32}) as a Java int (same bits). */
    public int nextInt()
    {
        if (index >= N)
        {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist()
    {
        for (int k = 0; k < N; k++)
        {
            final int y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        index = 0;
    }

    /**
     * Uniform integer in [0, max] by numpy's {@code random_interval}: draw 32-bit outputs masked to the
     * smallest all-ones mask covering {@code max}, reject values above {@code max}.
     */
    public int randomInterval(final int max)
    {
        if (max < 0)
        {
            throw new IllegalArgumentException("max " + max + " must be >= 0");
        }
        if (max == 0)
        {
            return 0;
        }
        int mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        int value;
        do
        {
            value = nextInt() & mask;
        }
        while (value > max);
        return value;
    }

    /**
     * numpy's legacy {@code np.random.RandomState(seed).permutation(n)}: {@code arange(n)} shuffled by
     * Fisher-Yates from the end, {@code j = random_interval(i)} for i = n-1 down to 1.
     */
    public static int[] numpyPermutation(final int n, final long seed)
    {
        if (n < 0)
        {
            throw new IllegalArgumentException("permutation length " + n + " must be >= 0");
        }
        final Mt19937 rng = new Mt19937(seed);
        final int[] a = new int[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = i;
        }
        for (int i = n - 1; i >= 1; i--)
        {
            final int j = rng.randomInterval(i);
            final int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
