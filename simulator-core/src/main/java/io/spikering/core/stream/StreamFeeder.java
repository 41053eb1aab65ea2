package io.spikering.core.stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends samples to an input queue, optionally paced to a rate (samples per second, by absolute deadlines so the
 * rate does not drift). Sequence numbers continue from the queue's last sample of the same stream id.
 */
public final class StreamFeeder implements AutoCloseable
{
    /** A source of time steps: {@link #next} fills the vector and returns its flags, or −1 when exhausted. */
    public interface Source
    {
        int width();

        /** Fills {@code values[0..width)}, returns the sequence flags ({@link SampleWire}) or −1 at the end. */
        int next(float[] values);

        /** Label of the sequence the last sample belongs to (−1 if none). */
        default int label()
        {
            return -1;
        }
    }

    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final int streamId;
    private final WireChecksum checksum = new WireChecksum();
    private final QueuePretoucher pretoucher;
    private long sequence;

    public StreamFeeder(final Path dir, final int streamId) throws IOException
    {
        this(dir, streamId, 0);
    }

    /** A feeder whose queue file is pre-touched {@code pretouchBytes} ahead of its appends (0 = not), see {@link QueuePretoucher}. */
    public StreamFeeder(final Path dir, final int streamId, final long pretouchBytes) throws IOException
    {
        this.queue = Queues.openForAppend(dir, "input");
        this.appender = queue.createAppender();
        this.streamId = streamId;
        try
        {
            this.sequence = StreamReader.lastSequence(queue, streamId) + 1;
        }
        catch (final IOException e)
        {
            queue.close();
            throw new IOException("input queue " + dir + ": " + e.getMessage(), e);
        }
        this.pretoucher = pretouchBytes > 0 ? new QueuePretoucher(queue, pretouchBytes, "spikering-pretouch-in") : null;
    }

    /** How long before each deadline a paced feeder stops parking and spins, by default. */
    public static final long DEFAULT_SPIN_NANOS = 50_000;

    /** {@link #feed(Source, long, double, boolean, long)} spinning the last {@link #DEFAULT_SPIN_NANOS} before each sample. */
    public long feed(final Source source, final long count, final double rateHz, final boolean markEnd)
    {
        return feed(source, count, rateHz, markEnd, DEFAULT_SPIN_NANOS);
    }

    /**
     * Appends up to {@code count} samples (all if count < 0) at {@code rateHz} (unpaced if ≤ 0); the last one
     * gets {@link SampleWire#FLAG_END_OF_STREAM} if {@code markEnd}. A paced feeder parks until {@code spinNanos}
     * before each sample's deadline and spins the rest: spinning appends on time (a park oversleeps by the OS timer
     * slack, ≈ 50 µs on Linux) but burns CPU that a runner sharing the cores may need; the timestamp is taken at the
     * append either way, so a late append does not count as latency. Returns the number appended.
     */
    public long feed(final Source source, final long count, final double rateHz, final boolean markEnd, final long spinNanos)
    {
        if (spinNanos < 0)
        {
            throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
        }
        final float[] values = new float[source.width()];
        final float[] pending = new float[source.width()];
        int pendingFlags = source.next(pending);
        long written = 0;
        final long start = System.nanoTime();
        final double period = rateHz > 0 ? 1e9 / rateHz : 0;
        while (pendingFlags >= 0 && (count < 0 || written < count))
        {
            System.arraycopy(pending, 0, values, 0, values.length);
            int flags = pendingFlags;
            final int label = source.label();
            final boolean lastByCount = count >= 0 && written + 1 == count;
            pendingFlags = lastByCount ? -1 : source.next(pending);
            if (markEnd && pendingFlags < 0)
            {
                flags |= SampleWire.FLAG_END_OF_STREAM;
            }
            if (period > 0)
            {
                final long due = start + (long)(written * period);
                long now;
                while ((now = System.nanoTime()) < due)
                {
                    if (due - now > spinNanos)
                    {
                        LockSupport.parkNanos(due - now - spinNanos);
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            append(flags, label, values, values.length);
            written++;
        }
        return written;
    }

    /** Appends one sample now. */
    public void append(final int flags, final int label, final float[] values, final int n)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            SampleWire.write(dc.wire().bytes(), checksum, flags, streamId, sequence, Queues.nowNanos(), label, values, n);
        }
        sequence++;
    }

    public void close()
    {
        if (pretoucher != null)
        {
            pretoucher.close();
        }
        appender.close();
        queue.close();
    }
}
