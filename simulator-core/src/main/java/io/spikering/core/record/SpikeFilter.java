package io.spikering.core.record;

/**
 * Which excerpts a {@link SpikeReader} delivers: one population (or all) and the steps in
 * [{@code fromStep}, {@code toStep}).
 *
 * @param population population index, or {@link #ALL_POPULATIONS}.
 * @param fromStep   first step delivered (inclusive, >= 0).
 * @param toStep     first step not delivered (exclusive; {@link Long#MAX_VALUE} for no end).
 */
public record SpikeFilter(int population, long fromStep, long toStep)
{
    public static final int ALL_POPULATIONS = -1;

    public SpikeFilter
    {
        if (population < ALL_POPULATIONS)
        {
            throw new IllegalArgumentException("population must be >= 0 (or -1 for all), got " + population);
        }
        if (fromStep < 0 || toStep < fromStep)
        {
            throw new IllegalArgumentException("step range [" + fromStep + ", " + toStep +
                ") is invalid: need 0 <= fromStep <= toStep");
        }
    }

    /** Every excerpt. */
    public static SpikeFilter all()
    {
        return new SpikeFilter(ALL_POPULATIONS, 0, Long.MAX_VALUE);
    }

    /** Every excerpt of one population. */
    public static SpikeFilter population(final int population)
    {
        return new SpikeFilter(population, 0, Long.MAX_VALUE);
    }

    /** The same population selection restricted to steps in [fromStep, toStep). */
    public SpikeFilter steps(final long fromStep, final long toStep)
    {
        return new SpikeFilter(population, fromStep, toStep);
    }

    boolean accepts(final long step, final int population)
    {
        return step >= fromStep && step < toStep && (this.population == ALL_POPULATIONS || this.population == population);
    }
}
