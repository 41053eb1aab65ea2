package io.spikering.core.energy;

import java.util.Locale;

/**
 * Estimated energy of a set of operation counts on one device profile: Σ count × (compute + memory)
 * picojoules. Always an estimate (per-operation figures from the literature, no measurement); its
 * {@link #toString()} says so and names the profile.
 */
public final class EnergyEstimate
{
    private static final double PJ = 1e-12;

    private final String profileName;
    private final double[] computeJoules = new double[OpKind.values().length];
    private final double[] memoryJoules = new double[OpKind.values().length];
    private final double total;

    private EnergyEstimate(final EnergyProfile profile, final OpCounts counts)
    {
        this.profileName = profile.name();
        double sum = 0;
        for (final OpKind k : OpKind.values())
        {
            final double n = counts.get(k);
            computeJoules[k.ordinal()] = n * profile.computePj(k) * PJ;
            memoryJoules[k.ordinal()] = n * profile.memoryPj(k) * PJ;
            sum += computeJoules[k.ordinal()] + memoryJoules[k.ordinal()];
        }
        this.total = sum;
    }

    /** Energy of {@code counts} on {@code profile}. */
    public static EnergyEstimate of(final EnergyProfile profile, final OpCounts counts)
    {
        return new EnergyEstimate(profile, counts);
    }

    /** Name of the profile this estimate used. */
    public String profileName()
    {
        return profileName;
    }

    /** Total estimated energy, joules. */
    public double joules()
    {
        return total;
    }

    /** Compute part of the energy charged to one count, joules. */
    public double computeJoules(final OpKind kind)
    {
        return computeJoules[kind.ordinal()];
    }

    /** Memory part of the energy charged to one count, joules. */
    public double memoryJoules(final OpKind kind)
    {
        return memoryJoules[kind.ordinal()];
    }

    /** Sum of the memory parts, joules. */
    public double memoryJoules()
    {
        double s = 0;
        for (final double j : memoryJoules)
        {
            s += j;
        }
        return s;
    }

    /** E.g. {@code "1.23 µJ (estimate, profile loihi)"}. */
    @Override
    public String toString()
    {
        return format(total) + " (estimate, profile " + profileName + ")";
    }

    /** Joules with an SI prefix and three significant digits, e.g. {@code 4.60 pJ}, {@code 1.23 mJ}. */
    public static String format(final double joules)
    {
        final String[] units = {"J", "mJ", "µJ", "nJ", "pJ", "fJ"};
        if (joules == 0)
        {
            return "0 J";
        }
        double v = joules;
        int u = 0;
        while (Math.abs(v) < 1 && u < units.length - 1)
        {
            v *= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }
}
