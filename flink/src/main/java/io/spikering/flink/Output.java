package io.spikering.flink;

/**
 * One output per input of a key: the columns of {@code stream read}'s output rows (input ordinal within the key,
 * status, operation counts, values), a Flink POJO.
 */
public final class Output
{
    public String key;
    public long input;
    /** {@code OutputWire.STATUS_OK} (0) or {@code STATUS_SKIPPED} (1, a malformed input: no values). */
    public byte status;
    public long synops;
    public long rowAdds;
    public long macs;
    public float[] values;
    public long createdNanos;

    public Output()
    {
    }

    /** {@code key,input,status,synops,row_adds,macs,values...}: {@code stream read}'s columns after the key. */
    public String line()
    {
        final StringBuilder b = new StringBuilder(32 + 12 * values.length);
        b.append(key).append(',').append(input).append(',').append(status).append(',').append(synops).append(',').append(rowAdds)
            .append(',').append(macs);
        for (final float v : values)
        {
            b.append(',').append(v);
        }
        return b.toString();
    }
}
