package io.spikering.flink;

/**
 * One input record: a sample of stream {@link #key} (a Flink POJO: public fields, no-arg constructor, so Flink
 * serializes it without Kryo). {@link #error} is set instead of {@link #value} when the record was malformed.
 */
public final class Sample
{
    public String key;
    /** {@code SampleWire} flags: 1 = sequence start, 2 = sequence end. */
    public int flags;
    public float value;
    /** {@code System.nanoTime()} when the generator made it (0 for files and Kafka): for latency within one JVM. */
    public long createdNanos;
    /** Why the record is malformed, or null. */
    public String error;
    /** The record as read, kept for rejected records only (null otherwise). */
    public String raw;

    public Sample()
    {
    }

    public static Sample of(final String key, final int flags, final float value, final long createdNanos)
    {
        final Sample s = new Sample();
        s.key = key;
        s.flags = flags;
        s.value = value;
        s.createdNanos = createdNanos;
        return s;
    }

    public static Sample malformed(final String key, final String error, final String raw)
    {
        final Sample s = new Sample();
        s.key = key;
        s.error = error;
        s.raw = raw;
        return s;
    }
}
