package io.spikering.core.energy;

import java.util.Map;

/**
 * Operation counts, e.g. per inference (averages may be fractional). Immutable.
 */
public record OpCounts(double events, double synops, double rowAdds, double shiftAdds, double macsEffective,
    double macsDense, double neuronUpdates)
{
    public static final OpCounts ZERO = new OpCounts(0, 0, 0, 0, 0, 0, 0);

    public OpCounts
    {
        check("events", events);
        check("synops", synops);
        check("row_adds", rowAdds);
        check("shift_adds", shiftAdds);
        check("macs_effective", macsEffective);
        check("macs_dense", macsDense);
        check("neuron_updates", neuronUpdates);
    }

    private static void check(final String key, final double v)
    {
        if (!(v >= 0) || Double.isInfinite(v))
        {
            throw new IllegalArgumentException("operation count " + key + " = " + v + " must be finite and >= 0");
        }
    }

    /** Counts from a map keyed by {@link OpKind#key()}; missing keys are 0, unknown keys are an error. */
    public static OpCounts of(final Map<String, ? extends Number> counts)
    {
        final double[] v = new double[OpKind.values().length];
        for (final Map.Entry<String, ? extends Number> e : counts.entrySet())
        {
            v[OpKind.parse(e.getKey()).ordinal()] = e.getValue().doubleValue();
        }
        return new OpCounts(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** The count of one kind. */
    public double get(final OpKind kind)
    {
        switch (kind)
        {
            case EVENTS: return events;
            case SYNOPS: return synops;
            case ROW_ADDS: return rowAdds;
            case SHIFT_ADDS: return shiftAdds;
            case MACS_EFFECTIVE: return macsEffective;
            case MACS_DENSE: return macsDense;
            default: return neuronUpdates;
        }
    }

    /** Element-wise sum. */
    public OpCounts plus(final OpCounts o)
    {
        return new OpCounts(events + o.events, synops + o.synops, rowAdds + o.rowAdds, shiftAdds + o.shiftAdds,
            macsEffective + o.macsEffective, macsDense + o.macsDense, neuronUpdates + o.neuronUpdates);
    }

    /** Every count multiplied by {@code factor} (e.g. 1/samples for per-inference averages). */
    public OpCounts scaled(final double factor)
    {
        return new OpCounts(events * factor, synops * factor, rowAdds * factor, shiftAdds * factor,
            macsEffective * factor, macsDense * factor, neuronUpdates * factor);
    }
}
