package io.spikering.neuron;

import java.util.Arrays;

/**
 * Histogram of integer spike counts (one entry per neuron per step), from which every bit metric is computed.
 * Counts in [-{@value #DENSE_LIMIT}, {@value #DENSE_LIMIT}] go into a dense array that grows to the widest count seen
 * (adding allocates only when a new extreme arrives); rarer larger counts go into a small sorted side table.
 */
public final class CountHistogram
{
    static final int DENSE_LIMIT = 1 << 16;

    private long[] dense = new long[2 * 64 + 1];
    private int offset = 64;             // dense[n + offset] counts n
    private long[] bigKeys = new long[0];
    private long[] bigTimes = new long[0];
    private int bigSize;
    private long total;
    private long zeros;

    public void add(final long count)
    {
        add(count, 1);
    }

    /** Records {@code count} {@code times} times ({@code times} >= 0). */
    public void add(final long count, final long times)
    {
        if (times < 0)
        {
            throw new IllegalArgumentException("times must be >= 0, got " + times);
        }
        if (count >= -offset && count <= offset)
        {
            dense[(int)count + offset] += times;
        }
        else if (count >= -DENSE_LIMIT && count <= DENSE_LIMIT)
        {
            grow((int)Math.abs(count));
            dense[(int)count + offset] += times;
        }
        else
        {
            addBig(count, times);
        }
        total += times;
        if (count == 0)
        {
            zeros += times;
        }
    }

    /** Number of recorded counts (zero and non-zero). */
    public long total()
    {
        return total;
    }

    /** Number of recorded non-zero counts (events). */
    public long nonZero()
    {
        return total - zeros;
    }

    /** How many times {@code n} was recorded. */
    public long countOf(final long n)
    {
        if (n >= -offset && n <= offset)
        {
            return dense[(int)n + offset];
        }
        final int k = Arrays.binarySearch(bigKeys, 0, bigSize, n);
        return k >= 0 ? bigTimes[k] : 0;
    }

    /**
     * Mean of {@link BitMetrics#activityBits} over all counts, or over non-zero counts only; 0 if there are none.
     */
    public double meanActivityBits(final boolean signed, final boolean nonZeroOnly)
    {
        final long denominator = nonZeroOnly ? nonZero() : total;
        if (denominator == 0)
        {
            return 0.0;
        }
        double sum = 0.0;
        for (int i = 0; i < dense.length; i++)
        {
            final long n = i - offset;
            if (dense[i] != 0 && (n != 0 || !nonZeroOnly))
            {
                sum += (double)dense[i] * BitMetrics.activityBits(n, signed);
            }
        }
        for (int k = 0; k < bigSize; k++)
        {
            sum += (double)bigTimes[k] * BitMetrics.activityBits(bigKeys[k], signed);
        }
        return sum / denominator;
    }

    /** Mean of {@link BitMetrics#significantBits} over non-zero counts; 0 if there are none. */
    public double meanSignificantBits()
    {
        return meanOverNonZero(false);
    }

    /** Mean of {@link BitMetrics#popcount} over non-zero counts; 0 if there are none. */
    public double meanPopcount()
    {
        return meanOverNonZero(true);
    }

    /** Adds every entry of {@code other} to this histogram. */
    public void merge(final CountHistogram other)
    {
        for (int i = 0; i < other.dense.length; i++)
        {
            if (other.dense[i] != 0)
            {
                add(i - other.offset, other.dense[i]);
            }
        }
        for (int k = 0; k < other.bigSize; k++)
        {
            add(other.bigKeys[k], other.bigTimes[k]);
        }
    }

    /** Forgets every entry (keeps the allocated range). */
    public void clear()
    {
        Arrays.fill(dense, 0);
        bigSize = 0;
        total = 0;
        zeros = 0;
    }

    private double meanOverNonZero(final boolean popcount)
    {
        final long events = nonZero();
        if (events == 0)
        {
            return 0.0;
        }
        double sum = 0.0;
        for (int i = 0; i < dense.length; i++)
        {
            if (dense[i] != 0)
            {
                final long n = i - offset;
                sum += (double)dense[i] * (popcount ? BitMetrics.popcount(n) : BitMetrics.significantBits(n));
            }
        }
        for (int k = 0; k < bigSize; k++)
        {
            final long n = bigKeys[k];
            sum += (double)bigTimes[k] * (popcount ? BitMetrics.popcount(n) : BitMetrics.significantBits(n));
        }
        return sum / events;
    }

    private void grow(final int magnitude)
    {
        int newOffset = offset;
        while (newOffset < magnitude)
        {
            newOffset = Math.min(2 * newOffset, DENSE_LIMIT);
        }
        final long[] grown = new long[2 * newOffset + 1];
        System.arraycopy(dense, 0, grown, newOffset - offset, dense.length);
        dense = grown;
        offset = newOffset;
    }

    private void addBig(final long count, final long times)
    {
        final int k = Arrays.binarySearch(bigKeys, 0, bigSize, count);
        if (k >= 0)
        {
            bigTimes[k] += times;
            return;
        }
        final int at = -k - 1;
        if (bigSize == bigKeys.length)
        {
            final int capacity = Math.max(8, 2 * bigSize);
            bigKeys = Arrays.copyOf(bigKeys, capacity);
            bigTimes = Arrays.copyOf(bigTimes, capacity);
        }
        System.arraycopy(bigKeys, at, bigKeys, at + 1, bigSize - at);
        System.arraycopy(bigTimes, at, bigTimes, at + 1, bigSize - at);
        bigKeys[at] = count;
        bigTimes[at] = times;
        bigSize++;
    }
}
