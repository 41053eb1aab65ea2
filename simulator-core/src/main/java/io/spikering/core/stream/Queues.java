package io.spikering.core.stream;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/** Opening Chronicle Queue directories for the stream commands, with clear errors for missing or foreign dirs. */
public final class Queues
{
    /** How long an appender waits on a header left locked by a killed writer before recovering it. */
    private static final long RECOVERY_TIMEOUT_MS = 1500;
    /** Epoch nanos minus System.nanoTime(), calibrated once against the OS real-time clock (see {@link #nowNanos()}). */
    private static final long EPOCH_OFFSET = calibrate();

    private Queues()
    {
    }

    /** An existing queue (the directory must exist and hold Chronicle files). */
    public static ChronicleQueue openExisting(final Path dir, final String what) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new IOException(what + " queue directory " + dir + " does not exist (create it with 'spikering stream feed --queue " +
                dir + "')");
        }
        if (!isQueue(dir))
        {
            throw new IOException(what + " directory " + dir + " is not a Chronicle queue (no metadata.cq4t or *.cq4 file in it)");
        }
        return build(dir);
    }

    /** A queue to append to: created if absent; an existing non-empty directory must be a queue. */
    public static ChronicleQueue openForAppend(final Path dir, final String what) throws IOException
    {
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new IOException(what + " queue path " + dir + " is a file, not a directory");
        }
        if (Files.isDirectory(dir) && !isQueue(dir) && !isEmpty(dir))
        {
            throw new IOException(what + " directory " + dir + " exists but is not a Chronicle queue; use an empty or new directory");
        }
        Files.createDirectories(dir);
        return build(dir);
    }

    public static boolean isQueue(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.anyMatch(p ->
            {
                final String name = p.getFileName().toString();
                return name.equals("metadata.cq4t") || name.endsWith(".cq4");
            });
        }
    }

    private static boolean isEmpty(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.findAny().isEmpty();
        }
    }

    private static ChronicleQueue build(final Path dir)
    {
        return SingleChronicleQueueBuilder.binary(dir.toFile())
            .rollCycle(RollCycles.FAST_DAILY)
            .timeoutMS(RECOVERY_TIMEOUT_MS)
            .build();
    }

    /**
     * Null if the excerpt at the read position starts with {@code magic} and {@code version}, else what is wrong, with
     * the fix for a queue of another wire version ({@code writer} is the command that writes such queues).
     */
    static String checkVersion(final Bytes<?> bytes, final short magic, final byte version, final String what, final String writer)
    {
        final short m = bytes.readShort(bytes.readPosition());
        final byte v = bytes.readByte(bytes.readPosition() + 2);
        if (m != magic)
        {
            return String.format("not an %s (magic 0x%04x, expected 0x%04x)", what, m & 0xffff, magic & 0xffff);
        }
        if (v != version)
        {
            return "an " + what + " of wire version " + v + (v < version ? " (written by an older spikering, without checksums)" : "") +
                "; this build reads version " + version + ": write the queue again with this build's '" + writer + "' into a new directory";
        }
        return null;
    }

    /** The Chronicle file ({@code yyyyMMddF.cq4}) that holds the excerpt at {@code index} of {@code queue}. */
    public static Path file(final ChronicleQueue queue, final long index)
    {
        final RollCycle cycle = queue.rollCycle();
        final long millis = (long)cycle.toCycle(index) * cycle.lengthInMillis();
        final String name = DateTimeFormatter.ofPattern(cycle.format()).withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(millis));
        return queue.file().toPath().resolve(name + ".cq4");
    }

    /** How an excerpt is named in errors: its file, its Chronicle index and its ordinal (0-based position in the queue). */
    public static String where(final ChronicleQueue queue, final long index, final long ordinal)
    {
        return "excerpt " + (ordinal >= 0 ? ordinal + " " : "") + "(index 0x" + Long.toHexString(index) + " in " + file(queue, index) + ")";
    }

    /**
     * Null if the excerpts a reader sees end where the writer's own record of its last excerpt says, else what is
     * wrong: a torn tail, i.e. the last excerpt(s) zeroed or cut off (a disk or power failure; a killed writer leaves
     * an incomplete header, which is not torn). {@code lastIndex} and {@code lastHeader} are the Chronicle index and file
     * offset of the last excerpt read ({@code lastIndex} −1 if none was readable), {@code count} the number read.
     */
    static String tornTail(final ChronicleQueue queue, final long lastIndex, final long lastHeader, final long count)
    {
        final SingleChronicleQueue q = (SingleChronicleQueue)queue;
        final int cycle = q.lastCycle();
        if (cycle < 0 || lastIndex < 0)
        {
            return null;
        }
        if (q.rollCycle().toCycle(lastIndex) != cycle)
        {
            return "the last readable excerpt (" + (count - 1) + ") is in " + file(queue, lastIndex) + " but the queue goes on in " +
                file(queue, q.rollCycle().toIndex(cycle, 0)) + " with nothing readable: its tail is torn";
        }
        final SingleChronicleQueueStore store = q.storeForCycle(cycle, q.epoch(), false, null);
        if (store == null)
        {
            return null;
        }
        try
        {
            final long written = store.writePosition();
            return written <= lastHeader ? null : file(queue, lastIndex) + " was written up to byte " + written + " but its readable excerpts end at byte " +
                lastHeader + " with excerpt " + (count - 1) + " (index 0x" + Long.toHexString(lastIndex) + "): the excerpt(s) after it are zeroed " +
                "or cut off (a torn tail)";
        }
        finally
        {
            q.closeStore(store);
        }
    }

    /**
     * Wall-clock time in epoch nanoseconds, as written in sample timestamps: System.nanoTime() plus an offset
     * calibrated once per process against the OS real-time clock ({@code Clock.systemUTC()}, microsecond resolution on
     * Linux), so two processes on one machine agree to a few microseconds (a clock calibrated against
     * currentTimeMillis can be off by milliseconds between processes) and reading it allocates nothing.
     */
    public static long nowNanos()
    {
        return EPOCH_OFFSET + System.nanoTime();
    }

    /** A {@code System.nanoTime()} reading of this process as epoch nanoseconds, on the clock of {@link #nowNanos()}. */
    public static long epochNanos(final long nanoTime)
    {
        return EPOCH_OFFSET + nanoTime;
    }

    private static long calibrate()
    {
        final Clock utc = Clock.systemUTC();
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 20; i++)
        {
            final long before = System.nanoTime();
            final Instant now = utc.instant();
            final long after = System.nanoTime();
            if (after - before < best)
            {
                best = after - before;
                offset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (before + (after - before) / 2);
            }
        }
        return offset;
    }
}
