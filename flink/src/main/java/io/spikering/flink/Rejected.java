package io.spikering.flink;

/** A malformed record on the side output: its key, its input ordinal within the key, the reason and the record. */
public final class Rejected
{
    public String key;
    public long input;
    public String reason;
    public String raw;

    public Rejected()
    {
    }

    /** {@code key,input,reason,record} (the reason and record are the last two fields; the record may hold commas). */
    public String line()
    {
        return key + ',' + input + ',' + reason.replace(',', ';') + ',' + raw;
    }
}
