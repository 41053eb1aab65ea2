package io.spikering.core.stream;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/** Reads a stream queue (inputs or outputs, told apart by their magic) and prints it as CSV. */
public final class StreamReader
{
    private static final int TORN_RECHECKS = 100;

    private StreamReader()
    {
    }

    /**
     * Writes every excerpt as one CSV row; returns the number of rows. A malformed or damaged excerpt (checksum mismatch)
     * and a torn tail are errors naming the queue file, the excerpt's ordinal and Chronicle index, and the fix.
     */
    public static long toCsv(final Path dir, final PrintStream out) throws IOException
    {
        long rows = 0;
        try (ChronicleQueue queue = Queues.openExisting(dir, "stream");
             ExcerptTailer tailer = queue.createTailer())
        {
            final SampleWire.Sample sample = new SampleWire.Sample();
            final OutputWire.Output output = new OutputWire.Output();
            final StringBuilder line = new StringBuilder();
            int kind = 0;
            long lastIndex = -1;
            long lastHeader = -1;
            int rechecks = 0;
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        final String torn = Queues.tornTail(queue, lastIndex, lastHeader, rows);
                        if (torn == null)
                        {
                            break;
                        }
                        if (rechecks++ < TORN_RECHECKS)
                        {
                            // a live writer may be between its excerpt and its record of it: look again for up to a second
                            LockSupport.parkNanos(10_000_000);
                            continue;
                        }
                        throw new IOException(torn + "; " + fix(kind));
                    }
                    rechecks = 0;
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long header = bytes.readPosition() - Integer.BYTES;
                    final short magic = bytes.readRemaining() >= 2 ? bytes.readShort(bytes.readPosition()) : 0;
                    line.setLength(0);
                    if (magic == SampleWire.MAGIC)
                    {
                        final String error = SampleWire.read(bytes, sample);
                        if (error != null)
                        {
                            throw new IOException("input " + Queues.where(queue, dc.index(), rows) + ": " + error + "; " + fix(1));
                        }
                        if (kind != 1)
                        {
                            out.println("ordinal,stream,sequence,timestamp_ns,flags,label,values...");
                            kind = 1;
                        }
                        line.append(rows).append(',').append(sample.streamId).append(',').append(sample.sequence).append(',')
                            .append(sample.timestampNanos).append(',').append(sample.flags).append(',').append(sample.label);
                        appendValues(line, sample.values, sample.length);
                    }
                    else if (magic == OutputWire.MAGIC)
                    {
                        final String error = OutputWire.read(bytes, output);
                        if (error != null)
                        {
                            throw new IOException("output " + Queues.where(queue, dc.index(), rows) + ": " + error + "; " + fix(2));
                        }
                        if (kind != 2)
                        {
                            out.println("input,status,stream,sequence,timestamp_ns,flags,synops,row_adds,macs,values...");
                            kind = 2;
                        }
                        line.append(output.inputOrdinal).append(',').append(output.status).append(',').append(output.streamId)
                            .append(',').append(output.sequence).append(',').append(output.timestampNanos).append(',')
                            .append(output.flags).append(',').append(output.synops).append(',').append(output.rowAdds)
                            .append(',').append(output.macs);
                        appendValues(line, output.values, output.length);
                    }
                    else
                    {
                        throw new IOException(Queues.where(queue, dc.index(), rows) + " is neither an input sample nor an output (magic " +
                            String.format(Locale.ROOT, "0x%04x", magic & 0xffff) + "); " + fix(kind));
                    }
                    out.println(line);
                    rows++;
                    lastIndex = dc.index();
                    lastHeader = header;
                }
            }
        }
        return rows;
    }

    /** What to do about a damaged queue of the given kind (1 input, 2 output, 0 not known yet). */
    static String fix(final int kind)
    {
        return switch (kind)
        {
            case 1 -> "inputs cannot be recomputed: feed the samples again into a new queue ('stream feed'), or run with " +
                "'--on-bad-sample skip' to skip the damaged one";
            case 2 -> "outputs can be recomputed: run 'stream run' again with the same --model, --in and --out; it keeps the " +
                "intact outputs before the damage and recomputes the rest (docs/streaming.md, \"Damaged queues\")";
            default -> "an output queue is repaired by running 'stream run' again with the same --model, --in and --out; an input " +
                "queue must be fed again";
        };
    }

    private static void appendValues(final StringBuilder line, final float[] values, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            line.append(',').append(values[i]);
        }
    }

    /**
     * The sequence number of the last input sample of {@code streamId} (−1 if none), scanning back from the end; a queue
     * whose last sample is of another wire version is refused.
     */
    static long lastSequence(final ChronicleQueue queue, final int streamId) throws IOException
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            final SampleWire.Sample s = new SampleWire.Sample();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return -1;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final String version = bytes.readRemaining() >= 3 && bytes.readShort(bytes.readPosition()) == SampleWire.MAGIC ?
                        Queues.checkVersion(bytes, SampleWire.MAGIC, SampleWire.VERSION, "input sample", "stream feed") : null;
                    if (version != null)
                    {
                        throw new IOException(Queues.where(queue, dc.index(), -1) + ": " + version);
                    }
                    if (SampleWire.read(bytes, s) == null && s.streamId == streamId)
                    {
                        return s.sequence;
                    }
                }
            }
        }
    }
}
