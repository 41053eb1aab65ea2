package io.spikering.core.stream;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.util.concurrent.locks.LockSupport;

/**
 * Touches the pages of a queue's current Chronicle file ahead of its writer, from a background thread, so that the
 * writer's appends find them mapped and dirty: the first write to a page of a memory-mapped file on ext4 takes a page
 * fault in which the file system allocates the block and may wait on its journal, which on this project's VM stalled
 * appends for 16–26 ms (docs/streaming.md, "Pre-touching the queues"). Chronicle Queue's own pretoucher is an
 * Enterprise feature. Each page gets one atomic add of zero ({@code lock xadd}): a write fault that changes no byte,
 * safe even on the page the writer is filling. The touches go through the queue's own mapping (the store's
 * {@code MappedFile}), so the writer's page table entries are the ones populated.
 */
public final class QueuePretoucher implements AutoCloseable
{
    /** How far ahead of the writer pages are touched, unless told otherwise: 0.7 s of outputs at 50k samples/s. */
    public static final long DEFAULT_AHEAD_BYTES = 4L << 20;
    private static final long PAGE = 4096;
    private static final long PERIOD_NANOS = 1_000_000;

    private final SingleChronicleQueue queue;
    private final long ahead;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long pagesTouched;
    private volatile RuntimeException failure;
    private SingleChronicleQueueStore store;
    private MappedBytes bytes;
    private int cycle = Integer.MIN_VALUE;
    private long touchedTo;

    /** Starts touching {@code aheadBytes} ahead of the writer of {@code queue}; a new thread inherits its creator's CPU affinity. */
    public QueuePretoucher(final ChronicleQueue queue, final long aheadBytes, final String name)
    {
        if (aheadBytes <= 0 || aheadBytes > 1L << 30)
        {
            throw new IllegalArgumentException("pre-touch distance must be in (0, 1 GiB], got " + aheadBytes + " bytes");
        }
        this.queue = (SingleChronicleQueue)queue;
        this.ahead = aheadBytes;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Why pre-touching stopped early (it never stops the writer), or null. */
    public RuntimeException failure()
    {
        return failure;
    }

    /** Pages touched so far. */
    public long pagesTouched()
    {
        return pagesTouched;
    }

    private void loop()
    {
        try
        {
            while (!closed)
            {
                touch();
                LockSupport.parkNanos(PERIOD_NANOS);
            }
        }
        catch (final RuntimeException e)
        {
            failure = e; // an optimisation only: the writer carries on and takes its own page faults
        }
        finally
        {
            release();
        }
    }

    /** Touches the pages from where the last pass stopped (or the writer's position) to {@code ahead} past the writer. */
    private void touch()
    {
        final int now = queue.cycle();
        if (now != cycle)
        {
            release();
            store = queue.storeForCycle(now, queue.epoch(), false, null); // the writer creates the file; until then, nothing to do
            if (store == null)
            {
                return;
            }
            cycle = now;
            bytes = MappedBytes.mappedBytes(store.bytes().mappedFile());
            touchedTo = 0;
        }
        final long written = store.writePosition();
        final long to = written + ahead;
        long page = Math.max(touchedTo, written & -PAGE);
        long n = 0;
        while (page < to && !closed)
        {
            bytes.addAndGetInt(page, 0);
            page += PAGE;
            n++;
        }
        touchedTo = page;
        pagesTouched += n;
    }

    private void release()
    {
        if (bytes != null)
        {
            bytes.releaseLast();
            bytes = null;
        }
        if (store != null)
        {
            queue.closeStore(store);
            store = null;
        }
        cycle = Integer.MIN_VALUE;
    }

    /** Stops the thread (after the pass in flight); call before closing the queue. */
    public void close()
    {
        closed = true;
        LockSupport.unpark(thread);
        try
        {
            thread.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
