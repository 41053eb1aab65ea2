package io.spikering.core.energy;

/**
 * The operation counts the engine reports (design.md "Counting operations"), with the keys used in
 * JSON reports and energy profile files.
 */
public enum OpKind
{
    /** Non-zero outputs of spiking/quantized sources. */
    EVENTS("events"),
    /** Σ |count| × non-zero fan-out: unit-spike synaptic operations. */
    SYNOPS("synops"),
    /** Events × non-zero fan-out: one accumulate per target per event. */
    ROW_ADDS("row_adds"),
    /** Σ significant_bits(|count|) × non-zero fan-out: shifted adds to multiply by the counts. */
    SHIFT_ADDS("shift_adds"),
    /** Non-zero inputs × non-zero weights of dense sources, plus nnz(Ā) + nnz(B̄) per state-space update. */
    MACS_EFFECTIVE("macs_effective"),
    /**
     * Every input × every weight of every projection per step, spiking ones included (what a device that
     * computes every synapse every step executes), plus the d² + d MACs of each state-space update.
     */
    MACS_DENSE("macs_dense"),
    /** Neuron (or state) updates, one per neuron per step. */
    NEURON_UPDATES("neuron_updates");

    private static final OpKind[] VALUES = values();

    private final String key;

    OpKind(final String key)
    {
        this.key = key;
    }

    /** The snake_case key, e.g. {@code macs_effective}. */
    public String key()
    {
        return key;
    }

    /** The kind with this key; throws listing the accepted keys. */
    public static OpKind parse(final String key)
    {
        for (final OpKind k : VALUES)
        {
            if (k.key.equals(key))
            {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown operation count '" + key + "'; accepted: " + keys());
    }

    /** The accepted keys, comma-separated. */
    public static String keys()
    {
        final StringBuilder sb = new StringBuilder();
        for (final OpKind k : VALUES)
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.key);
        }
        return sb.toString();
    }
}
