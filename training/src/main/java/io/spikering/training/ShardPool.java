package io.spikering.training;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of threads (the caller plus {@code threads − 1} daemons) that run numbered tasks. Each task writes
 * only its own output slot, so results never depend on which thread ran which task; the caller reduces the slots
 * in task order afterwards.
 */
final class ShardPool implements AutoCloseable
{
    /** A numbered task; {@code worker} identifies the thread's scratch space. */
    interface Task
    {
        void run(int worker, int task);
    }

    private final int threads;
    private final CyclicBarrier start;
    private final CyclicBarrier done;
    private final AtomicInteger next = new AtomicInteger();
    private final Thread[] workers;
    private volatile Task task;
    private volatile int tasks;
    private volatile boolean closed;
    private volatile Throwable failure;

    ShardPool(final int threads)
    {
        if (threads < 1 || threads > 1024)
        {
            throw new IllegalArgumentException("threads must be in 1..1024, got " + threads);
        }
        this.threads = threads;
        this.start = new CyclicBarrier(threads);
        this.done = new CyclicBarrier(threads);
        this.workers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++)
        {
            final int worker = w;
            workers[w - 1] = new Thread(() -> loop(worker), "trainer-" + w);
            workers[w - 1].setDaemon(true);
            workers[w - 1].start();
        }
    }

    int threads()
    {
        return threads;
    }

    /** Runs tasks 0..count−1 on all threads and returns when every one has finished. */
    void run(final int count, final Task t)
    {
        this.task = t;
        this.tasks = count;
        this.failure = null;
        next.set(0);
        await(start);
        work(0);
        await(done);
        if (failure != null)
        {
            final Throwable f = failure;
            if (f instanceof RuntimeException)
            {
                throw (RuntimeException)f;
            }
            if (f instanceof Error)
            {
                throw (Error)f;
            }
            throw new IllegalStateException(f);
        }
    }

    private void loop(final int worker)
    {
        while (true)
        {
            await(start);
            if (closed)
            {
                return;
            }
            work(worker);
            await(done);
        }
    }

    private void work(final int worker)
    {
        final Task t = task;
        final int count = tasks;
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement())
        {
            try
            {
                t.run(worker, i);
            }
            catch (final Throwable e)
            {
                failure = e;
            }
        }
    }

    private static void await(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        catch (final BrokenBarrierException e)
        {
            throw new IllegalStateException("worker pool broken", e);
        }
    }

    @Override
    public void close()
    {
        if (threads > 1 && !closed)
        {
            closed = true;
            await(start);
        }
    }
}
