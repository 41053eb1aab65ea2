package io.spikering.core.stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pre-touching races with the writer on the very pages it fills and must not change a byte of what it writes. */
class QueuePretoucherTest
{
    @TempDir
    Path tmp;

    @Test
    void aQueueWrittenWhilePretouchedHoldsExactlyWhatWasWritten() throws IOException
    {
        final int n = 40_000; // 4.3 MB of outputs, written faster than the 1 ms passes: touches land on the page being filled
        final double[] values = new double[10];
        long touched;
        try (ChronicleQueue with = Queues.openForAppend(tmp.resolve("with"), "output");
             ChronicleQueue without = Queues.openForAppend(tmp.resolve("without"), "output"))
        {
            final QueuePretoucher pretoucher = new QueuePretoucher(with, 64 << 10, "test-pretouch");
            final WireChecksum checksum = new WireChecksum();
            try (ExcerptAppender a = with.createAppender(); ExcerptAppender b = without.createAppender())
            {
                for (int i = 0; i < n; i++)
                {
                    for (int k = 0; k < values.length; k++)
                    {
                        values[k] = Math.sin(i * 0.01 + k);
                    }
                    for (final ExcerptAppender appender : new ExcerptAppender[] {a, b})
                    {
                        try (DocumentContext dc = appender.writingDocument())
                        {
                            OutputWire.write(dc.wire().bytes(), checksum, OutputWire.STATUS_OK, i, i, 1000L * i, 0, 0, i, 2L * i, 3L * i, values, 10);
                        }
                    }
                    if (i % 1000 == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            pretoucher.close();
            touched = pretoucher.pagesTouched();
        }
        final String expected = csv(tmp.resolve("without"));
        assertEquals(n + 1, expected.split("\n").length);
        assertEquals(expected, csv(tmp.resolve("with")), "every excerpt intact (checksums verified) and equal to the untouched queue's");
        assertTrue(touched >= 16, "touched at least the 64 KiB ahead of the writer: " + touched + " pages");
    }

    @Test
    void aDistanceOutOfRangeIsRefused() throws IOException
    {
        try (ChronicleQueue q = Queues.openForAppend(tmp.resolve("q"), "output"))
        {
            assertThrows(IllegalArgumentException.class, () -> new QueuePretoucher(q, 0, "x"));
            assertThrows(IllegalArgumentException.class, () -> new QueuePretoucher(q, 2L << 30, "x"));
        }
    }

    private static String csv(final Path dir) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamReader.toCsv(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
