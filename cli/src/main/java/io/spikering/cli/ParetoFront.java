package io.spikering.cli;

/**
 * The accuracy-versus-energy Pareto front: a point is on it unless another point is at least as accurate and at
 * most as costly, and strictly better in one of the two. Equal points (duplicates) do not dominate each other, so
 * all copies of a front point are on the front. Quadratic on purpose: a handful of points, checked pair by pair.
 */
final class ParetoFront
{
    private ParetoFront()
    {
    }

    /** {@code onFront[i]}: no j dominates i. Arrays of equal length, no NaN. */
    static boolean[] onFront(final double[] accuracy, final double[] energy)
    {
        if (accuracy.length != energy.length)
        {
            throw new IllegalArgumentException("accuracy and energy differ in length: " + accuracy.length + " vs " + energy.length);
        }
        final int n = accuracy.length;
        for (int i = 0; i < n; i++)
        {
            if (Double.isNaN(accuracy[i]) || Double.isNaN(energy[i]))
            {
                throw new IllegalArgumentException("point " + i + " has NaN accuracy or energy");
            }
        }
        final boolean[] front = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            boolean dominated = false;
            for (int j = 0; j < n && !dominated; j++)
            {
                dominated = dominates(accuracy[j], energy[j], accuracy[i], energy[i]);
            }
            front[i] = !dominated;
        }
        return front;
    }

    /** (a1, e1) dominates (a2, e2): accuracy >= and energy <=, one of them strictly. */
    static boolean dominates(final double a1, final double e1, final double a2, final double e2)
    {
        return a1 >= a2 && e1 <= e2 && (a1 > a2 || e1 < e2);
    }
}
