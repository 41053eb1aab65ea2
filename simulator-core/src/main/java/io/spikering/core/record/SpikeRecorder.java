package io.spikering.core.record;

import io.spikering.core.engine.SpikeListener;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes spike events to a Chronicle Queue directory: one excerpt per (step, population) that has events,
 * {@code long step, int population, int n} then {@code n} pairs {@code (int neuron, int count)}, plus the
 * {@value Sidecar#FILE_NAME} sidecar describing the populations. Allocation-free per call after warm-up.
 * Not thread-safe: call {@link #onEvents} from the simulation thread only, in non-decreasing step order.
 */
public final class SpikeRecorder implements SpikeListener, AutoCloseable
{
    private static final long MIN_BLOCK_SIZE = 64L << 20;

    private final Path dir;
    private final RecordingInfo info;
    private final int[] sizes;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private long lastStep = -1;
    private long excerpts;
    private long events;
    private boolean closed;

    private SpikeRecorder(final Path dir, final RecordingInfo info, final ChronicleQueue queue)
    {
        this.dir = dir;
        this.info = info;
        this.queue = queue;
        this.appender = queue.createAppender();
        this.sizes = info.populations().stream().mapToInt(RecordingInfo.Population::size).toArray();
    }

    /**
     * Creates the directory (and parents) if needed, checks it can be written, writes the sidecar and opens
     * the queue. Fails, naming the directory, when it cannot be created or written or already holds a recording.
     */
    public static SpikeRecorder create(final Path dir, final RecordingInfo info) throws IOException
    {
        final Path abs = dir.toAbsolutePath().normalize();
        prepareDirectory(abs);
        Sidecar.write(abs, info, false, 0, 0, 0);
        // An excerpt must fit well inside a block: size the block for a step where every neuron fires.
        final long largestExcerpt = 16L + 8L * info.populations().stream().mapToInt(RecordingInfo.Population::size).max().orElse(0);
        final long blockSize = Math.max(MIN_BLOCK_SIZE, Long.highestOneBit(largestExcerpt * 4) << 1);
        final ChronicleQueue queue = ChronicleQueue.singleBuilder(abs)
            .rollCycle(RollCycles.FAST_DAILY)
            .blockSize(blockSize)
            .build();
        try
        {
            return new SpikeRecorder(abs, info, queue);
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    private static void prepareDirectory(final Path dir) throws IOException
    {
        for (Path p = dir; p != null; p = p.getParent())
        {
            if (Files.exists(p) && !Files.isDirectory(p))
            {
                throw new IOException("cannot create recording directory '" + dir + "': '" + p +
                    "' is a file, not a directory; choose another --record path");
            }
        }
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot create recording directory '" + dir + "': " + ex +
                "; choose a writable --record path", ex);
        }
        if (Files.exists(dir.resolve(Sidecar.FILE_NAME)))
        {
            throw new IOException("recording directory '" + dir + "' already holds a recording (" + Sidecar.FILE_NAME +
                "); choose an empty directory or delete the old recording");
        }
        final Path probe = dir.resolve(".write-probe");
        try
        {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        }
        catch (final IOException ex)
        {
            throw new IOException("recording directory '" + dir + "' is not writable (" + ex +
                "); fix its permissions or choose another --record path", ex);
        }
    }

    /**
     * Records the events of one population at one step: neuron {@code neurons[i]} emitted {@code counts[i]}
     * (signed multiplicity) for i in [0, n). Nothing is written when n is 0.
     */
    public void onEvents(final long step, final int population, final int[] neurons, final int[] counts, final int n)
    {
        if (closed)
        {
            throw new IllegalStateException("spike recorder for '" + dir + "' is closed");
        }
        if (step < lastStep || step < 0)
        {
            throw new IllegalArgumentException("step " + step + " is before step " + lastStep +
                " already recorded in '" + dir + "'; steps must be >= 0 and non-decreasing");
        }
        if (population < 0 || population >= sizes.length)
        {
            throw new IllegalArgumentException("population " + population + " is not in [0, " + sizes.length +
                ") of recording '" + dir + "'");
        }
        final int size = sizes[population];
        if (n < 0 || n > size)
        {
            throw new IllegalArgumentException("n = " + n + " events for population '" +
                info.populations().get(population).name() + "' is not in [0, " + size + "]");
        }
        for (int i = 0; i < n; i++)
        {
            if (neurons[i] < 0 || neurons[i] >= size)
            {
                throw new IllegalArgumentException("neuron " + neurons[i] + " of population '" +
                    info.populations().get(population).name() + "' is not in [0, " + size + ")");
            }
        }
        lastStep = step;
        if (n == 0)
        {
            return;
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(step);
            bytes.writeInt(population);
            bytes.writeInt(n);
            for (int i = 0; i < n; i++)
            {
                bytes.writeInt(neurons[i]);
                bytes.writeInt(counts[i]);
            }
        }
        excerpts++;
        events += n;
    }

    /** Notes that the run reached {@code step} (so the sidecar's step count includes trailing silent steps). */
    public void markStep(final long step)
    {
        if (step > lastStep)
        {
            lastStep = step;
        }
    }

    /** The absolute recording directory. */
    public Path directory()
    {
        return dir;
    }

    /** What this recording holds. */
    public RecordingInfo info()
    {
        return info;
    }

    /** Excerpts written so far. */
    public long excerpts()
    {
        return excerpts;
    }

    /** Events (neuron, count pairs) written so far. */
    public long events()
    {
        return events;
    }

    /** Closes the appender and the queue, and marks the sidecar complete with the number of steps recorded. */
    public void close() throws IOException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            appender.close();
        }
        finally
        {
            queue.close();
        }
        Sidecar.write(dir, info, true, lastStep + 1, excerpts, events);
    }
}
