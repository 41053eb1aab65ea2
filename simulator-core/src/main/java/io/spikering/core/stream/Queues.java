package io.spikering.core.stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
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
