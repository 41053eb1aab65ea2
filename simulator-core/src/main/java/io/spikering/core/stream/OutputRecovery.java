package io.spikering.core.stream;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What {@code stream run} checks before it resumes (docs/streaming.md, "Damaged queues"): every stored output is read
 * and its checksum, layout and ordinal verified, and the tail is compared with the writer's own record of it. A queue
 * damaged at output k is rebuilt from its intact outputs 0..k−1 (a new Chronicle queue replaces it; the damaged one is
 * kept beside it), and the run recomputes the rest from the newest snapshot before k, or from input 0.
 */
final class OutputRecovery
{
    /** {@code intact} outputs 0..intact−1 are sound; {@code lastFlags} are the input flags of the last of them; {@code damage} is null if nothing follows them. */
    record Scan(long intact, int lastFlags, String damage)
    {
    }

    /** A rebuilt queue: where the damaged one went and the new Chronicle index of the output asked for (−1 if none). */
    record Rebuilt(Path damaged, long markIndex)
    {
    }

    private OutputRecovery()
    {
    }

    static Scan scan(final Path dir) throws IOException
    {
        if (!Queues.isQueue(dir))
        {
            return new Scan(0, 0, null);
        }
        try (ChronicleQueue queue = Queues.openExisting(dir, "output");
             ExcerptTailer tailer = queue.createTailer())
        {
            final OutputWire.Output output = new OutputWire.Output();
            long n = 0;
            int flags = 0;
            long lastIndex = -1;
            long lastHeader = -1;
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long header = bytes.readPosition() - Integer.BYTES;
                    String error = OutputWire.read(bytes, output);
                    if (error == null && output.inputOrdinal != n)
                    {
                        error = "holds the output for input " + output.inputOrdinal + " where the one for input " + n + " belongs";
                    }
                    if (error != null)
                    {
                        return new Scan(n, flags, "output " + Queues.where(queue, dc.index(), n) + ": " + error);
                    }
                    flags = output.flags;
                    lastIndex = dc.index();
                    lastHeader = header;
                    n++;
                }
            }
            return new Scan(n, flags, Queues.tornTail(queue, lastIndex, lastHeader, n));
        }
    }

    /**
     * Replaces the queue in {@code dir} by a new one holding its first {@code keep} outputs (byte for byte) and moves the
     * damaged queue to {@code dir.damaged[-N]}. Returns that path and the new index of output {@code mark}.
     */
    static Rebuilt rebuild(final Path dir, final long keep, final long mark) throws IOException
    {
        final Path fresh = dir.resolveSibling(dir.getFileName() + ".rebuilding");
        deleteQueue(fresh); // left by a rebuild that was killed: only ever a partial copy
        long markIndex = -1;
        try (ChronicleQueue from = Queues.openExisting(dir, "output");
             ExcerptTailer tailer = from.createTailer();
             ChronicleQueue to = Queues.openForAppend(fresh, "output");
             ExcerptAppender appender = to.createAppender())
        {
            for (long k = 0; k < keep; k++)
            {
                try (DocumentContext in = tailer.readingDocument())
                {
                    if (!in.isPresent())
                    {
                        throw new IOException("output queue " + dir + " changed while it was being rebuilt (output " + k + " vanished)");
                    }
                    final Bytes<?> bytes = in.wire().bytes();
                    try (DocumentContext out = appender.writingDocument())
                    {
                        out.wire().bytes().write(bytes, bytes.readPosition(), bytes.readRemaining());
                    }
                }
                if (k == mark)
                {
                    markIndex = appender.lastIndexAppended();
                }
            }
        }
        Path damaged = dir.resolveSibling(dir.getFileName() + ".damaged");
        for (int i = 2; Files.exists(damaged); i++)
        {
            damaged = dir.resolveSibling(dir.getFileName() + ".damaged-" + i);
        }
        Files.move(dir, damaged, StandardCopyOption.ATOMIC_MOVE);
        Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel parent = FileChannel.open(dir.toAbsolutePath().getParent(), StandardOpenOption.READ))
        {
            parent.force(true);
        }
        catch (final IOException ignored)
        {
            // some platforms cannot open a directory for fsync; the renames are still atomic
        }
        return new Rebuilt(damaged, markIndex);
    }

    private static void deleteQueue(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
