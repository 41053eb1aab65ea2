package io.spikering.training;

/**
 * Result of running a model over a data set.
 *
 * @param samples  number of samples.
 * @param loss     mean cross-entropy.
 * @param accuracy fraction classified correctly.
 * @param dt       quantizer dt (0 = non-spiking).
 * @param counts   spike-count tally of the hidden layer over all neurons × window steps × samples:
 *                 counts[n + {@value ShardKernel#COUNT_RANGE}] (counts beyond ±COUNT_RANGE are clamped), or null.
 */
public record Evaluation(int samples, double loss, double accuracy, double dt, long[] counts)
{
    /** Count of value {@code n} in the tally. */
    public long countOf(final int n)
    {
        return counts[n + ShardKernel.COUNT_RANGE];
    }

    /** Largest |n| that occurred. */
    public int maxAbsCount()
    {
        int max = 0;
        for (int i = 0; i < counts.length; i++)
        {
            if (counts[i] != 0)
            {
                max = Math.max(max, Math.abs(i - ShardKernel.COUNT_RANGE));
            }
        }
        return max;
    }

    public static int countRange()
    {
        return ShardKernel.COUNT_RANGE;
    }
}
