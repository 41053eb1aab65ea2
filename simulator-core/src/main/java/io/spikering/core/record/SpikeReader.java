package io.spikering.core.record;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads back a recording written by {@link SpikeRecorder}: the sidecar ({@link #info()}) and the excerpts,
 * in the order written, filtered by population and step range. Each {@link #read} opens its own tailer
 * from the start and closes it, so a reader can be read many times.
 */
public final class SpikeReader implements AutoCloseable
{
    private final Path dir;
    private final RecordingInfo info;
    private final Sidecar.Json sidecar;
    private final ChronicleQueue queue;
    private int[] neurons = new int[64];
    private int[] counts = new int[64];

    private SpikeReader(final Path dir, final Sidecar.Json sidecar, final RecordingInfo info, final ChronicleQueue queue)
    {
        this.dir = dir;
        this.sidecar = sidecar;
        this.info = info;
        this.queue = queue;
    }

    /** Opens the recording in {@code dir}; fails naming the directory when it is not a recording. */
    public static SpikeReader open(final Path dir) throws IOException
    {
        final Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs))
        {
            throw new IOException("recording directory '" + abs + "' does not exist or is not a directory");
        }
        final Sidecar.Json json = Sidecar.read(abs);
        final RecordingInfo info = Sidecar.info(abs, json);
        final ChronicleQueue queue = ChronicleQueue.singleBuilder(abs).readOnly(true).build();
        return new SpikeReader(abs, json, info, queue);
    }

    /** What the recording holds. */
    public RecordingInfo info()
    {
        return info;
    }

    /** The absolute recording directory. */
    public Path directory()
    {
        return dir;
    }

    /** True when the recorder was closed cleanly (otherwise the step/excerpt totals are not known). */
    public boolean complete()
    {
        return sidecar.complete;
    }

    /** Number of steps the run covered (last step seen + 1), or -1 when the recording is not complete. */
    public long stepsRecorded()
    {
        return sidecar.complete ? sidecar.stepsRecorded : -1;
    }

    /** Total events (neuron, count pairs) written, or -1 when the recording is not complete. */
    public long eventsRecorded()
    {
        return sidecar.complete ? sidecar.events : -1;
    }

    /**
     * Delivers every excerpt accepted by {@code filter} to {@code visitor}, in the order written, and returns
     * how many were delivered. Stops at the first excerpt at or past {@code filter.toStep()}.
     */
    public long read(final SpikeFilter filter, final SpikeVisitor visitor)
    {
        if (filter.population() >= info.populations().size())
        {
            throw new IllegalArgumentException("population " + filter.population() + " is not in [0, " +
                info.populations().size() + ") of recording '" + dir + "'");
        }
        long delivered = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return delivered;
                    }
                    if (dc.isMetaData())
                    {
                        continue;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long step = bytes.readLong();
                    if (step >= filter.toStep())
                    {
                        return delivered;
                    }
                    final int population = bytes.readInt();
                    if (!filter.accepts(step, population))
                    {
                        continue;
                    }
                    final int n = bytes.readInt();
                    if (n < 0 || population < 0 || population >= info.populations().size() ||
                        n > info.populations().get(population).size() || bytes.readRemaining() != 8L * n)
                    {
                        throw new IllegalStateException("corrupt excerpt in recording '" + dir + "' at step " + step +
                            ": population " + population + ", n " + n + ", " + bytes.readRemaining() + " bytes of pairs");
                    }
                    ensureCapacity(n);
                    for (int i = 0; i < n; i++)
                    {
                        neurons[i] = bytes.readInt();
                        counts[i] = bytes.readInt();
                    }
                    visitor.onEvents(step, population, neurons, counts, n);
                    delivered++;
                }
            }
        }
    }

    private void ensureCapacity(final int n)
    {
        if (n > neurons.length)
        {
            final int capacity = Math.max(n, neurons.length * 2);
            neurons = new int[capacity];
            counts = new int[capacity];
        }
    }

    /** Closes the queue. */
    public void close()
    {
        queue.close();
    }
}
