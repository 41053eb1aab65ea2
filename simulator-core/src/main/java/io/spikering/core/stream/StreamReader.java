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

/** Reads a stream queue (inputs or outputs, told apart by their magic) and prints it as CSV. */
public final class StreamReader
{
    private StreamReader()
    {
    }

    /** Writes every excerpt as one CSV row; returns the number of rows. Malformed excerpts are reported by index. */
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
            long ordinal = 0;
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final short magic = bytes.readRemaining() >= 2 ? bytes.readShort(bytes.readPosition()) : 0;
                    line.setLength(0);
                    if (magic == SampleWire.MAGIC)
                    {
                        final String error = SampleWire.read(bytes, sample);
                        if (error != null)
                        {
                            throw new IOException(dir + ": excerpt " + ordinal + " (index " + Long.toHexString(dc.index()) + "): " + error);
                        }
                        if (kind != 1)
                        {
                            out.println("ordinal,stream,sequence,timestamp_ns,flags,label,values...");
                            kind = 1;
                        }
                        line.append(ordinal).append(',').append(sample.streamId).append(',').append(sample.sequence).append(',')
                            .append(sample.timestampNanos).append(',').append(sample.flags).append(',').append(sample.label);
                        appendValues(line, sample.values, sample.length);
                    }
                    else if (magic == OutputWire.MAGIC)
                    {
                        final String error = OutputWire.read(bytes, output);
                        if (error != null)
                        {
                            throw new IOException(dir + ": excerpt " + ordinal + ": " + error);
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
                        throw new IOException(dir + ": excerpt " + ordinal + " is neither an input sample nor an output (magic " +
                            String.format(Locale.ROOT, "0x%04x", magic & 0xffff) + ")");
                    }
                    out.println(line);
                    rows++;
                    ordinal++;
                }
            }
        }
        return rows;
    }

    private static void appendValues(final StringBuilder line, final float[] values, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            line.append(',').append(values[i]);
        }
    }

    /** The sequence number of the last input sample of {@code streamId} (−1 if none), scanning back from the end. */
    static long lastSequence(final ChronicleQueue queue, final int streamId)
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
                    if (SampleWire.read(dc.wire().bytes(), s) == null && s.streamId == streamId)
                    {
                        return s.sequence;
                    }
                }
            }
        }
    }
}
